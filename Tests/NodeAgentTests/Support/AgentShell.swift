import Foundation
import Glibc

/// Runs a program to completion. Output goes through temp files, not pipes:
/// a container or a daemon started by it may inherit and hold a pipe open.
enum AgentShell {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var combined: String { stdout + stderr }
    }

    /// Waits on a thread of its own: the tests' tasks share Swift's small
    /// cooperative pool (two threads here), which a blocking wait would starve.
    static func run(
        _ executable: String, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
        timeout: Duration = .seconds(60)
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result {
                    try runBlocking(executable, arguments, stdin: stdin, environment: environment, timeout: timeout)
                })
            }
            thread.start()
        }
    }

    static func runBlocking(
        _ executable: String, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
        timeout: Duration = .seconds(60)
    ) throws -> Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-sh-\(UUID().uuidString.prefix(8))")
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
        env.merge(environment) { _, new in new }
        process.environment = env
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        try outHandle.close()
        try errHandle.close()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        let status = waitForExit(process, timeout: timeout)
        return Result(
            status: status,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}

struct AgentTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Waits for `process` to end. Foundation's Process can miss a child's exit on a
/// busy machine (seen here: `waitUntilExit` blocked for good with the child long
/// gone), so the child is also reaped here directly.
func waitForExit(_ process: Process, timeout: Duration? = nil) -> Int32 {
    let pid = process.processIdentifier
    var deadline = timeout.map { ContinuousClock.now + $0 }
    while true {
        if !process.isRunning { return process.terminationStatus }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            let signal = status & 0x7f
            return signal == 0 ? (status >> 8) & 0xff : 128 + signal
        }
        if let limit = deadline, ContinuousClock.now > limit {
            kill(pid, SIGKILL)
            deadline = nil
        }
        usleep(2_000)
    }
}
