import Foundation
import Glibc

/// The built `skiffd` and `skiff` next to the test bundle, and the real kubectl.
enum Binaries {
    static var directory: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The test binary may sit inside SkiffPackageTests.xctest on some layouts.
        if !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("skiffd").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }

    static var skiffd: String { directory.appendingPathComponent("skiffd").path }
    static var skiff: String { directory.appendingPathComponent("skiff").path }
    static let kubectl = "/usr/bin/kubectl"
}

/// Runs a command to completion; output goes through temp files, not pipes, so
/// a child that leaves a descendant holding stdout open cannot hang the test.
enum Command {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var combined: String { stdout + stderr }
    }

    static func run(_ executable: String, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:])
        throws -> Result
    {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cmd-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let err = dir.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        if let stdin {
            let input = dir.appendingPathComponent("in")
            try Data(stdin.utf8).write(to: input)
            process.standardInput = try FileHandle(forReadingFrom: input)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        let status = waitForExit(process)
        return Result(
            status: status,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}

/// Waits for `process` to end. Foundation's Process can miss a child's exit on a
/// busy machine (seen here: `waitUntilExit` blocked for good with the child long
/// gone), so the child is also reaped here directly.
func waitForExit(_ process: Process) -> Int32 {
    let pid = process.processIdentifier
    while true {
        if !process.isRunning { return process.terminationStatus }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            let signal = status & 0x7f
            return signal == 0 ? (status >> 8) & 0xff : 128 + signal
        }
        usleep(2_000)
    }
}
