import Foundation
import Glibc
@testable import NodeRuntime

/// A network namespace for probe tests: loopback up, and 10.254.0.1/24 on a
/// veth whose neighbour 10.254.0.2 has a static MAC nobody answers for, so a
/// connection to it hangs (a dial timeout without waiting for ARP to fail).
/// `remove()` deletes it (and with it every socket bound inside).
struct ProbeTestNamespace {
    static let blackhole = "10.254.0.2"

    let name: String
    var path: String { "/run/netns/\(name)" }

    static var isAvailable: Bool { geteuid() == 0 && NetlinkTestNamespace.ipPath != nil }

    static func create() throws -> ProbeTestNamespace {
        guard let ip = NetlinkTestNamespace.ipPath else { throw TestFailure("iproute2 (ip) is not installed") }
        let namespace = ProbeTestNamespace(name: "skiff-probe-\(UUID().uuidString.prefix(8).lowercased())")
        let added = try Shell.run(ip, ["netns", "add", namespace.name])
        guard added.status == 0 else { throw TestFailure("ip netns add: \(added.stderr)") }
        do {
            for step in [
                ["link", "set", "lo", "up"],
                ["link", "add", "pva", "type", "veth", "peer", "name", "pvb"],
                ["addr", "add", "10.254.0.1/24", "dev", "pva"],
                ["link", "set", "pva", "up"],
                ["link", "set", "pvb", "up"],
                ["neigh", "add", blackhole, "lladdr", "02:00:00:00:00:02", "dev", "pva"],
            ] {
                let result = try Shell.run(ip, ["-n", namespace.name] + step)
                guard result.status == 0 else { throw TestFailure("ip \(step.joined(separator: " ")): \(result.stderr)") }
            }
        } catch {
            namespace.remove()
            throw error
        }
        return namespace
    }

    /// Kills what the test started inside (only its own processes can be in a
    /// namespace it just created), then deletes the namespace.
    func remove() {
        guard let ip = NetlinkTestNamespace.ipPath else { return }
        if let pids = try? Shell.run(ip, ["netns", "pids", name]).stdout {
            for pid in pids.split(separator: "\n").compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
        }
        _ = try? Shell.run(ip, ["netns", "del", name])
    }

    /// A TCP listener on 127.0.0.1:`port` inside the namespace (never accepted
    /// from: the kernel completes handshakes into the backlog). Close the fd when done.
    func listen(port: UInt16) throws -> Int32 {
        try NetworkNamespace(path: path).perform {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw SystemError.current("socket") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(port.bigEndian)
            address.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0, Glibc.listen(fd, 64) == 0 else {
                let error = SystemError.current("bind/listen 127.0.0.1:\(port)")
                close(fd)
                throw error
            }
            return fd
        }
    }
}

/// Whether nothing listens on 127.0.0.1:`port` in the test's own namespace
/// (a bind there succeeds), so a probe from there must be refused.
func hostPortIsFree(_ port: UInt16) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(port.bigEndian)
    address.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } == 0
}
