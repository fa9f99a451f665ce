import Foundation
import Glibc

/// What the Node object reports about the machine: capacity and nodeInfo,
/// read once from the kernel and /etc at registration.
package struct NodeFacts: Sendable, Equatable {
    package var cpus: Int
    package var memoryBytes: Int64
    package var ephemeralStorageBytes: Int64
    package var kernelVersion: String
    package var osImage: String
    package var machineID: String
    package var bootID: String
    package var architecture: String
    package var hostname: String

    package static func read(dataDirectory: String) -> NodeFacts {
        var name = utsname()
        uname(&name)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
        }
        var fs = statvfs()
        let storage = statvfs(dataDirectory, &fs) == 0 ? Int64(fs.f_blocks) * Int64(fs.f_frsize) : 0
        let machine = field(name.machine)
        return NodeFacts(
            cpus: max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))),
            memoryBytes: memTotal() ?? Int64(sysconf(Int32(_SC_PHYS_PAGES))) * Int64(sysconf(Int32(_SC_PAGESIZE))),
            ephemeralStorageBytes: storage,
            kernelVersion: field(name.release),
            osImage: osRelease() ?? "Linux",
            machineID: trimmedFile("/etc/machine-id") ?? "",
            bootID: trimmedFile("/proc/sys/kernel/random/boot_id") ?? "",
            architecture: machine == "x86_64" ? "amd64" : (machine == "aarch64" ? "arm64" : machine),
            hostname: field(name.nodename))
    }

    private static func trimmedFile(_ path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func memTotal() -> Int64? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kib = Int64(parts[1]) { return kib * 1024 }
        }
        return nil
    }

    private static func osRelease() -> String? {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
