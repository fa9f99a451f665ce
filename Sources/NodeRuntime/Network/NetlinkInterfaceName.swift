/// The kernel's rules for interface names (dev_valid_name), checked before a
/// request is sent so a bad name reads as bad input, not as a bare EINVAL.
package enum NetlinkInterfaceName {
    /// IFNAMSIZ (16) including the terminating NUL.
    package static let maxLength = 15

    package static func validate(_ name: String) throws {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= maxLength else {
            throw RuntimeError("invalid interface name \"\(name)\": must be 1 to \(maxLength) bytes")
        }
        guard name != ".", name != "..",
            !bytes.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ":") || $0 <= 0x20 || $0 == 0x7f })
        else {
            throw RuntimeError("invalid interface name \"\(name)\": no '/', ':', whitespace or control characters")
        }
    }
}
