import Dispatch
import GRDB
import Synchronization

/// Group commit: writes queue up here and one dedicated dispatch queue commits
/// everything waiting as a single transaction, so while one fsync runs the next
/// batch gathers, and N concurrent writers cost about one fsync instead of N.
/// A caller is resumed only after its batch committed (and was published to
/// watchers), which is what makes a returned revision durable.
final class WriteBatcher: Sendable {
    typealias Completion = CheckedContinuation<Result<SQLiteLogRow, StorageError>, Never>

    private struct Pending {
        var operation: StorageWriteOperation
        var completion: Completion
    }

    private struct State {
        var pending: [Pending] = []
        var draining = false
        var closed = false
    }

    private let writer: DatabasePool
    private let hub: WatchHub
    private let maxBatch: Int
    private let queue = DispatchQueue(label: "skiff.store.writer")
    private let state = Mutex(State())

    init(writer: DatabasePool, hub: WatchHub, maxBatch: Int) {
        self.writer = writer
        self.hub = hub
        self.maxBatch = maxBatch
    }

    /// Commits `operation`; cancellation does not apply, since a write that is
    /// already queued may commit regardless.
    func submit(_ operation: StorageWriteOperation) async throws(StorageError) -> SQLiteLogRow {
        let result = await withCheckedContinuation { (completion: Completion) in
            let accepted = state.withLock { state -> Bool in
                guard !state.closed else { return false }
                state.pending.append(Pending(operation: operation, completion: completion))
                if !state.draining {
                    state.draining = true
                    // Dispatched under the lock so `close()` cannot slip its
                    // barrier in between.
                    queue.async { self.drain() }
                }
                return true
            }
            if !accepted { completion.resume(returning: .failure(.closed)) }
        }
        return try result.get()
    }

    /// Stops accepting writes and returns once every queued write is committed.
    func close() async {
        state.withLock { $0.closed = true }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            // The drain loop runs on `queue` and empties the queue before it
            // returns, so this block runs after the last queued write.
            queue.async { done.resume() }
        }
    }

    private func drain() {
        while true {
            let batch = state.withLock { state -> [Pending] in
                let batch = Array(state.pending.prefix(maxBatch))
                state.pending.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            commit(batch)
        }
    }

    private func commit(_ batch: [Pending]) {
        var results: [Result<SQLiteLogRow, StorageError>]
        do {
            results = try writer.write { db in
                try batch.map { try $0.operation.apply(db) }
            }
        } catch {
            let failure = StorageError.io(step: .write, message: String(describing: error))
            results = Array(repeating: .failure(failure), count: batch.count)
        }
        hub.publish(results.compactMap { try? $0.get().event })
        for (pending, result) in zip(batch, results) {
            pending.completion.resume(returning: result)
        }
    }
}
