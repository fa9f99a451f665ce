import Foundation
import SkiffAPI
import SkiffClient
import Synchronization

/// Reads a watch stream as kubectl does: one JSON event per line, whatever the
/// chunking. A background task pumps the body; `next` waits for a whole line.
final class WatchReader: Sendable {
    private struct State {
        var buffer: [UInt8] = []
        var ended = false
    }

    /// A class around the lock so the pump task can share it (a Mutex cannot be copied).
    private final class Shared: Sendable {
        let lock = Mutex(State())
    }

    private let shared = Shared()
    private let pump: Task<Void, Never>
    let status: Int

    init(_ client: APIClient, _ path: String, query: [(String, String)], accept: String = "application/json") async throws {
        let (status, _, body) = try await client.stream(path, query: query + [("watch", "true")], accept: accept)
        self.status = status
        let shared = self.shared
        pump = Task {
            do {
                for try await chunk in body { shared.lock.withLock { $0.buffer += chunk } }
            } catch {}
            shared.lock.withLock { $0.ended = true }
        }
    }

    deinit { pump.cancel() }

    func cancel() { pump.cancel() }

    /// True once the server closed the stream and every line was read.
    var ended: Bool { shared.lock.withLock { $0.ended && !$0.buffer.contains(0x0A) } }

    /// The next event, or nil when the stream ended or `timeout` passed.
    func next(timeout: Duration = .seconds(10)) async throws -> (type: String, object: JSONValue)? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let line: [UInt8]? = shared.lock.withLock { state in
                guard let newline = state.buffer.firstIndex(of: 0x0A) else { return nil }
                let line = Array(state.buffer[..<newline])
                state.buffer.removeSubrange(...newline)
                return line
            }
            if let line {
                if line.isEmpty { continue }
                let event = try JSONValue(jsonBytes: line)
                return (event["type"].stringValue ?? "", event["object"])
            }
            if shared.lock.withLock({ $0.ended }) { return nil }
            try await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }
}
