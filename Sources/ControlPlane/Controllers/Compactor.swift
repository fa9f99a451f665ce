import Foundation
import Logging

/// Forgets old history on a timer, as the real API server asks etcd to (and
/// kine does for SQLite): every `interval`, revisions older than the newest
/// `keep` are compacted. Watches and continue tokens older than that get
/// 410 Expired and start over with a fresh list.
struct Compactor: Sendable {
    let storage: any StorageBackend
    let interval: Duration
    let keep: Int64
    let logger: Logger

    func run() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
                let current = try await storage.currentRevision()
                let target = current.value - keep
                if target > 0 { try await storage.compact(upTo: StorageRevision(target)) }
            } catch {
                if Task.isCancelled { return }
                logger.warning("compaction: \(error)")
            }
        }
    }
}
