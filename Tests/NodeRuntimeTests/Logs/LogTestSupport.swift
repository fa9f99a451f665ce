import Foundation
import Glibc
import NodeRuntime
import Synchronization
import Testing

/// Helpers for the container log tests, namespaced so they cannot collide
/// with other suites' helpers in the same test module.
enum LogTest {
    /// A scratch directory for one log test, removed afterwards even when the test
    /// fails or throws.
    static func withDirectory(_ body: (String) async throws -> Void) async throws {
        var template = Array("/tmp/skiff-logtest-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) } != nil
        }
        try #require(made, "mkdtemp failed")
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await body(path)
    }

    /// Polls `condition` every few milliseconds until it holds or `timeout` passes.
    @discardableResult
    static func waitUntil(timeout: Duration = .seconds(10), _ condition: () throws -> Bool) async rethrows -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            if try condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return try condition()
    }

    /// Writes all of `text` to a (blocking) descriptor, as a container would.
    static func write(_ fd: Int32, _ text: String) throws {
        let result = LogIO.writeAll(fd, Array(text.utf8), step: "test write")
        if let error = result.error { throw error }
    }

    static func fileText(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// The records of one log file; fails the test on any line that does not parse.
    static func records(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) -> [CRILogRecord] {
        fileText(path).split(separator: "\n", omittingEmptySubsequences: false).dropLast().compactMap { line in
            let record = CRILogRecord.parse(ArraySlice(Array(line.utf8)))
            #expect(record != nil, "unparseable record: \(line)", sourceLocation: sourceLocation)
            return record
        }
    }
}

/// Collects what the hub reports, keyed by container ID.
final class LogOutcomes: Sendable {
    private let outcomes = Mutex<[String: [LogPumpOutcome]]>([:])

    func record(_ id: String) -> @Sendable (LogPumpOutcome) -> Void {
        { outcome in self.outcomes.withLock { $0[id, default: []].append(outcome) } }
    }

    func all(_ id: String) -> [LogPumpOutcome] {
        outcomes.withLock { $0[id] ?? [] }
    }

    func waitForOutcome(_ id: String) async -> LogPumpOutcome? {
        await LogTest.waitUntil { !all(id).isEmpty }
        return all(id).first
    }
}

/// Lines a follow consumer has received so far.
final class FollowedLines: Sendable {
    private let lines = Mutex<[ContainerLogLine]>([])

    private let ended = Mutex(false)

    func append(_ line: ContainerLogLine) { lines.withLock { $0.append(line) } }
    /// The follower's sequence has ended.
    var hasEnded: Bool { ended.withLock { $0 } }

    /// Iterates `follower` in a task, recording every line.
    static func collect(_ follower: LogFollower) -> (FollowedLines, Task<Void, Never>) {
        let received = FollowedLines()
        let consumer = Task {
            for await line in follower { received.append(line) }
            received.ended.withLock { $0 = true }
        }
        return (received, consumer)
    }
    var texts: [String] { lines.withLock { $0.map(\.text) } }
    var count: Int { lines.withLock { $0.count } }
}

/// A FIFO with the container's read-write end open, as the runtime sets it up.
/// The end is closed on deinit too, so a failing test does not leak it.
final class LogTestFIFO {
    let path: String
    private(set) var containerEnd: Int32

    init(_ path: String) throws {
        try ContainerLogFIFO.create(at: path)
        self.path = path
        containerEnd = try ContainerLogFIFO.openContainerEnd(path)
    }

    deinit {
        closeContainerEnd()
    }

    /// The container (and everything it forked) exits.
    func closeContainerEnd() {
        LogIO.close(containerEnd)
        containerEnd = -1
    }
}
