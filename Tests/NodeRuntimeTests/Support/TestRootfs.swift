import Foundation
import Glibc
import SkiffTestSupport
import Testing

/// A throwaway container root: static busybox with its applets plus the
/// static `probe` (Fixtures/probe.c), in a temp dir removed by `remove()`.
struct TestRootfs {
    let base: URL
    var path: String { base.appendingPathComponent("rootfs").path }

    static let applets = [
        "sh", "cat", "echo", "hostname", "ps", "sleep", "true", "false", "ls", "mount", "id",
        "touch", "rm", "mkdir", "date", "head", "yes", "dd", "wc", "test", "kill", "env", "pwd", "stat",
    ]

    init() throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-test-\(UUID().uuidString.prefix(8))")
        let rootfs = base.appendingPathComponent("rootfs")
        let fm = FileManager.default
        for dir in ["bin", "tmp", "etc", "proc", "sys", "dev", "root"] {
            try fm.createDirectory(at: rootfs.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
        let busybox = try TestRootfs.busyboxPath()
        try fm.copyItem(atPath: busybox, toPath: rootfs.appendingPathComponent("bin/busybox").path)
        for applet in Self.applets {
            try fm.createSymbolicLink(atPath: rootfs.appendingPathComponent("bin/\(applet)").path, withDestinationPath: "busybox")
        }
        try fm.copyItem(atPath: try TestRootfs.probePath(), toPath: rootfs.appendingPathComponent("bin/probe").path)
        try "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n"
            .write(to: rootfs.appendingPathComponent("etc/passwd"), atomically: true, encoding: .utf8)
        try "root:x:0:\nnogroup:x:65534:\n".write(to: rootfs.appendingPathComponent("etc/group"), atomically: true, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(at: base)
    }

    static func busyboxPath() throws -> String {
        for candidate in ["/bin/busybox", "/usr/bin/busybox"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw TestFailure("busybox-static is not installed (make test installs it)")
    }

    /// Compiled once per build tree into .build/skiff-fixtures (a build artifact, not test state).
    static func probePath() throws -> String {
        try probe.get()
    }

    private static let probe: Result<String, Error> = Result {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/probe.c")
        let packageRoot = source.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let outDir = packageRoot.appendingPathComponent(".build/skiff-fixtures")
        try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
        let output = outDir.appendingPathComponent("probe")
        let result = try Shell.run("/usr/bin/gcc", ["-static", "-O1", "-o", output.path, source.path])
        guard result.status == 0 else { throw TestFailure("cc probe.c failed: \(result.stderr)") }
        return output.path
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a host command and captures its output (test setup only).
enum Shell {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Output goes through temp files, not pipes: a detached container
    /// inherits the caller's stdio and would keep a pipe open for its lifetime.
    static func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> Result {
        let result = try ChildProcess.run(executable, arguments, stdin: input)
        return Result(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }
}
