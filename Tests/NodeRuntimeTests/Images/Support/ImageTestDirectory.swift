import Foundation
import Glibc

/// A scratch directory for one test, removed by `withImageTestDirectory`
/// whether the test passes, fails an expectation or throws.
func withImageTestDirectory<T>(_ body: (String) throws -> T) throws -> T {
    var template = Array("\(temporaryDirectory)/skiff-image-test-XXXXXX".utf8CString)
    let created = template.withUnsafeMutableBufferPointer { buffer in
        buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
    }
    guard let directory = created else {
        throw ImageTestError("mkdtemp failed: errno \(errno)")
    }
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try body(directory)
}

/// `NSTemporaryDirectory()` without its trailing slash, for tidy paths in messages.
private var temporaryDirectory: String {
    var path = NSTemporaryDirectory()
    while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
    return path
}

struct ImageTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a program and returns its standard output as text; throws with its
/// stderr when it exits non-zero.
@discardableResult
func runImageTestTool(_ path: String, _ arguments: [String], input: [UInt8]? = nil) throws -> String {
    String(decoding: try runImageTestToolBytes(path, arguments, input: input), as: UTF8.self)
}

/// Like `runImageTestTool`, returning the raw output (compressed data).
func runImageTestToolBytes(_ path: String, _ arguments: [String], input: [UInt8]? = nil) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    // Input goes through a file: writing it into a pipe while the tool's
    // output pipe fills up would deadlock.
    var inputFile: String?
    defer { if let inputFile { unlink(inputFile) } }
    if let input {
        let file = "\(temporaryDirectory)/skiff-image-input-\(UUID().uuidString)"
        try Data(input).write(to: URL(fileURLWithPath: file))
        inputFile = file
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    try process.run()
    // Read before waiting so a chatty tool cannot fill the pipe and stall;
    // stderr is drained on its own thread for the same reason.
    let stderrBox = ImageTestOutputBox()
    let errorReader = Thread { stderrBox.set(errors.fileHandleForReading.readDataToEndOfFile()) }
    errorReader.start()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let err = stderrBox.wait()
    guard process.terminationStatus == 0 else {
        throw ImageTestError("\(path) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: err, as: UTF8.self))")
    }
    return Array(out)
}

/// Hands the stderr bytes from the reader thread to the caller.
final class ImageTestOutputBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func set(_ value: Data) {
        condition.lock()
        data = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data ?? Data()
    }
}

/// Every path under `root` with its type, mode, size and (for files) content
/// digest: equal snapshots mean a failed import changed nothing.
func imageStoreSnapshot(_ root: String) throws -> [String: String] {
    var result: [String: String] = [:]
    let enumerator = FileManager.default.enumerator(atPath: root)
    while let relative = enumerator?.nextObject() as? String {
        let path = "\(root)/\(relative)"
        var info = stat()
        guard lstat(path, &info) == 0 else { continue }
        var summary = "mode=\(String(info.st_mode, radix: 8)) size=\(info.st_size)"
        if info.st_mode & S_IFMT == S_IFREG {
            summary += " content=\(try Data(contentsOf: URL(fileURLWithPath: path)).base64EncodedString())"
        }
        result[relative] = summary
    }
    return result
}
