import Foundation
import Glibc
import SkiffAPI

/// The built `skiffd` and `skiff` next to the test bundle.
enum AgentBinaries {
    static var directory: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("skiffd").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }

    static var skiffd: String { directory.appendingPathComponent("skiffd").path }
    static var skiff: String { directory.appendingPathComponent("skiff").path }
}

/// The demo images (busybox, notepad:latest, notepad:new), built once per build tree.
enum AgentTestImages {
    static func archives() throws -> [String] { try built.get() }

    private static let built: Result<[String], Error> = Result {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let out = root.appendingPathComponent(".build/skiff-fixtures/images").path
        let names = ["busybox.tar", "notepad-latest.tar", "notepad-new.tar"]
        if !names.allSatisfy({ FileManager.default.fileExists(atPath: "\(out)/\($0)") }) {
            let result = try AgentShell.runBlocking("/bin/bash", [root.appendingPathComponent("scripts/build-demo-images").path, out])
            guard result.status == 0 else { throw AgentTestFailure("build-demo-images failed: \(result.stderr)") }
        }
        return names.map { "\(out)/\($0)" }
    }
}

/// Mounts and cgroups that still name a test's directories or cgroup parent.
enum AgentLeftovers {
    static func find(containing needles: [String]) -> [String] {
        var found: [String] = []
        let mountinfo = ProcFile.read("/proc/self/mountinfo")
        for line in mountinfo.split(separator: "\n") where needles.contains(where: { line.contains($0) }) {
            found.append("mount: \(line)")
        }
        for controller in ["cpu", "memory", "pids", "freezer", "devices", "cpuset", "cpuacct", "unified"] {
            let dir = "/sys/fs/cgroup/\(controller)"
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            where needles.contains(where: { entry.contains($0) }) {
                found.append("cgroup: \(dir)/\(entry)")
            }
        }
        return found
    }
}

extension JSONValue {
    func containerStatus(_ name: String) -> JSONValue {
        let all = (self["status"]["containerStatuses"].arrayValue ?? []) + (self["status"]["initContainerStatuses"].arrayValue ?? [])
        return all.first { $0["name"].stringValue == name } ?? .null
    }

    func condition(_ type: String) -> String? {
        self["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == type }?["status"].stringValue
    }

    var phase: String? { self["status"]["phase"].stringValue }
}

/// A /proc file read whole: they report size 0 and `String(contentsOfFile:)`
/// stops after its first 4 KiB read.
enum ProcFile {
    static func read(_ path: String) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
