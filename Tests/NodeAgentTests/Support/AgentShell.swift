import Foundation
import SkiffTestSupport

/// Runs a program to completion (through `ChildProcess`).
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
        let result = try ChildProcess.run(executable, arguments, stdin: stdin, environment: environment, timeout: timeout)
        return Result(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }
}

struct AgentTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
