/// An IPv4 address held as its 32-bit value in host order, so subnet maths
/// (masks, "the next address", ranges) is plain integer arithmetic and the
/// netlink code can take `bytes` in network order without reformatting text.
package struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address as a number: `10.42.0.5` is `0x0A2A_0005`.
    package var value: UInt32

    package init(_ value: UInt32) {
        self.value = value
    }

    package init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad text such as `10.42.0.5`.
    /// - Parameter field: what the text is (`gateway`, `pod IP`), for the error.
    package init(parsing text: String, field: String = "IPv4 address") throws {
        switch Self.value(parsing: Substring(text)) {
        case .success(let value): self.value = value
        case .failure(let reason): throw RuntimeError("\(field) \"\(text)\": \(reason.message)")
        }
    }

    /// The value of dotted-quad text, or why it is not one (without the field
    /// name, so a CIDR parser can quote the whole `10.42.0.256/16`).
    ///
    /// Strict on purpose: exactly four decimal octets, no leading zeros. Some
    /// parsers read `010` as octal (8) and others as decimal (10), so an address
    /// that different tools would disagree about is refused rather than guessed.
    static func value(parsing text: Substring) -> Result<UInt32, RuntimeError> {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else {
            return .failure(RuntimeError("expected four dot-separated decimal octets, e.g. 10.42.0.5"))
        }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let octet = UInt32(part)
            else {
                return .failure(RuntimeError("octet \"\(part)\" is not a decimal number 0...255"))
            }
            guard octet <= 255 else {
                return .failure(RuntimeError("octet \"\(part)\" must be 0...255"))
            }
            guard part.count == 1 || part.first != "0" else {
                return .failure(RuntimeError("octet \"\(part)\" has a leading zero (ambiguous: octal or decimal)"))
            }
            value = value << 8 | octet
        }
        return .success(value)
    }

    /// The four octets in network byte order, as netlink and sockaddr_in want them.
    package var bytes: [UInt8] {
        [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
    }

    package var description: String {
        bytes.map(String.init).joined(separator: ".")
    }

    package static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool {
        lhs.value < rhs.value
    }
}
