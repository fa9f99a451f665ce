import Foundation
import Glibc

/// A throwaway network namespace (`ip netns add skiff-nltest-<role>-<random>`)
/// that netlink tests work in, so nothing touches the host's interfaces,
/// routes or sysctls. `remove()` deletes it; call it from a defer.
struct NetlinkTestNamespace {
    let name: String
    var path: String { "/run/netns/\(name)" }

    /// Root and iproute2 are needed to create namespaces.
    static var isAvailable: Bool { geteuid() == 0 && ipPath != nil && busyboxPath != nil }

    static let ipPath: String? = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static let busyboxPath: String? = ["/bin/busybox", "/usr/bin/busybox"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static func create(_ role: String) throws -> NetlinkTestNamespace {
        let namespace = NetlinkTestNamespace(name: "skiff-nltest-\(role)-\(UUID().uuidString.prefix(8).lowercased())")
        let result = try Shell.run(try ip(), ["netns", "add", namespace.name])
        guard result.status == 0 else { throw TestFailure("ip netns add \(namespace.name): \(result.stderr)") }
        return namespace
    }

    func remove() {
        guard let ip = Self.ipPath else { return }
        _ = try? Shell.run(ip, ["netns", "del", name])
    }

    /// Runs a command inside the namespace (inspection and traffic only).
    func exec(_ arguments: [String]) throws -> Shell.Result {
        try Shell.run(try Self.ip(), ["netns", "exec", name] + arguments)
    }

    /// `busybox <applet> ...` inside the namespace.
    func busybox(_ arguments: [String]) throws -> Shell.Result {
        guard let busybox = Self.busyboxPath else { throw TestFailure("busybox is not installed") }
        return try exec([busybox] + arguments)
    }

    private static func ip() throws -> String {
        guard let ipPath else { throw TestFailure("iproute2 (ip) is not installed") }
        return ipPath
    }
}
