import Foundation
import SkiffTestSupport

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
        let result = try ChildProcess.run(executable, arguments, stdin: stdin, environment: environment)
        return Result(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }
}
