import Foundation

/// Runs `ip` and friends to build a lab. Setup only: what is measured or
/// tested (the proxy, connections) never goes through a child process.
package enum LabCommand {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    @discardableResult
    package static func run(_ path: String, _ arguments: [String], allowFailure: Bool = false) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self)
        if process.terminationStatus != 0, !allowFailure {
            throw Failure(description: "\(path) \(arguments.joined(separator: " ")): exit \(process.terminationStatus): \(text)")
        }
        return text
    }

    /// `ip <arguments>`, inside netns `name` when given.
    @discardableResult
    package static func ip(_ arguments: String, in name: String? = nil, allowFailure: Bool = false) throws -> String {
        let words = arguments.split(separator: " ").map(String.init)
        return try run("/usr/sbin/ip", (name.map { ["-n", $0] } ?? []) + words, allowFailure: allowFailure)
    }
}
