import Foundation
import Synchronization

/// Every open watch stream, so shutdown can end them first: a graceful HTTP
/// shutdown waits for in-flight requests, and a watch otherwise lasts until
/// its timeout (30-60 minutes by default).
final class OpenWatches: Sendable {
    private let streams = Mutex<[UUID: @Sendable () -> Void]>([:])

    /// Registers a stream's stop function; the returned token unregisters it.
    func add(_ stop: @escaping @Sendable () -> Void) -> UUID {
        let id = UUID()
        streams.withLock { $0[id] = stop }
        return id
    }

    func remove(_ id: UUID) {
        _ = streams.withLock { $0.removeValue(forKey: id) }
    }

    func stopAll() {
        let all = streams.withLock { streams in
            defer { streams.removeAll() }
            return Array(streams.values)
        }
        for stop in all { stop() }
    }
}
