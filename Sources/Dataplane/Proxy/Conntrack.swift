import CShims
import Glibc
import NodeRuntime

/// Conntrack entries the proxy deletes: UDP has no connection end, so an
/// entry to a removed endpoint would keep steering a client's datagrams to
/// it until it times out.
package enum Conntrack {
    /// Deletes `proto` entries whose original destination is `destination`
    /// (nil: any address) port `port`, and whose reply comes from `backend`
    /// (nil: any). Returns how many were deleted.
    @discardableResult
    package static func delete(
        netnsPath: String?, proto: L4Protocol, destination: IPv4Address?, port: UInt16, backend: BackendAddress?
    ) throws(DataplaneError) -> Int {
        var fd: Int32 = -1
        if let netnsPath {
            fd = open(netnsPath, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .kernel(step: "open netns \(netnsPath)", errno: errno) }
        }
        defer { if fd >= 0 { close(fd) } }
        let rc = skiff_ct_delete(
            fd, proto.number, (destination?.value ?? 0).bigEndian, port.bigEndian,
            (backend?.ip.value ?? 0).bigEndian, (backend?.port ?? 0).bigEndian)
        guard rc >= 0 else { throw .kernel(step: "delete conntrack entries for \(destination.map(\.description) ?? "*"):\(port)", errno: -rc) }
        return Int(rc)
    }
}
