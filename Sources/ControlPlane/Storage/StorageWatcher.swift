import GRDB
import Synchronization

/// One watch: replays the log after its start revision, then switches to the
/// live events the `WatchHub` pushes, without a gap or a duplicate.
///
/// The handover: the hub tells the watcher the highest revision it has
/// published (`publishedUpTo`), always under the watcher's lock. Replay reads
/// the log up to that revision (published implies committed, so the read sees
/// it all), and only when its cursor has reached the latest `publishedUpTo`
/// — checked under the same lock — does the watcher go live; from then on
/// every published event above the cursor is buffered. Events published while
/// still replaying are simply picked up by the next replay page.
///
/// Replay is pulled page by page as the consumer reads, so old history costs
/// no memory; the live buffer is bounded and a consumer that lets it fill gets
/// `watcherTooSlow` after the events it already has, rather than unbounded growth.
final class StorageWatcher: Sendable {
    private struct State {
        /// Replay: last revision read from the log. Live: last revision buffered.
        var cursor: StorageRevision
        var publishedUpTo = StorageRevision(0)
        var live = false
        var pending: [StorageEvent] = []
        var pendingHead = 0
        var failure: StorageError?
        var cancelled = false
        var waiter: CheckedContinuation<Void, Never>?

        var hasPending: Bool { pendingHead < pending.count }

        mutating func popPending() -> StorageEvent? {
            guard pendingHead < pending.count else { return nil }
            let event = pending[pendingHead]
            pendingHead += 1
            if pendingHead == pending.count {
                pending.removeAll(keepingCapacity: true)
                pendingHead = 0
            }
            return event
        }
    }

    private enum Step {
        case deliver(StorageEvent)
        case fail(StorageError)
        case end
        case replay(after: StorageRevision, upTo: StorageRevision)
        case wait
    }

    private let range: KeyRange
    private let reader: DatabasePool
    private let hub: WatchHub
    private let bufferLimit: Int
    private let pageSize: Int
    private let state: Mutex<State>

    init(prefix: String, fromRevision: StorageRevision, reader: DatabasePool, hub: WatchHub, bufferLimit: Int, pageSize: Int) {
        range = KeyRange(prefix: prefix)
        self.reader = reader
        self.hub = hub
        self.bufferLimit = bufferLimit
        self.pageSize = pageSize
        state = Mutex(State(cursor: fromRevision))
    }

    /// Called by the hub under its lock at registration.
    func begin(publishedUpTo revision: StorageRevision) {
        state.withLock { $0.publishedUpTo = revision }
    }

    /// Called by the hub, under its lock, after each committed batch.
    func offer(_ events: [StorageEvent], publishedUpTo revision: StorageRevision) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.publishedUpTo = revision
            guard state.live, state.failure == nil else { return nil }
            for event in events where event.revision > state.cursor && matches(event.key) {
                if state.pending.count - state.pendingHead >= bufferLimit {
                    state.failure = .watcherTooSlow(lastDelivered: state.cursor)
                    break
                }
                state.pending.append(event)
                state.cursor = event.revision
            }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Ends the watch with `error` once the already-buffered events are read.
    func fail(_ error: StorageError) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.failure == nil { state.failure = error }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    private func matches(_ key: String) -> Bool {
        key.utf8.starts(with: range.lower.utf8)
    }

    /// The stream's pull function: the next event, nil at the end (cancelled).
    func next() async throws(StorageError) -> StorageEvent? {
        while true {
            if Task.isCancelled { state.withLock { $0.cancelled = true } }
            switch nextStep() {
            case .deliver(let event):
                return event
            case .fail(let error):
                hub.unregister(self)
                throw error
            case .end:
                hub.unregister(self)
                return nil
            case .replay(let after, let upTo):
                let events: [StorageEvent]
                do {
                    events = try await readPage(after: after, upTo: upTo)
                } catch {
                    // A cancelled consumer ends the stream like a cancel while
                    // waiting does: the read was interrupted, nothing failed.
                    if Task.isCancelled {
                        hub.unregister(self)
                        return nil
                    }
                    throw error
                }
                state.withLock { state in
                    state.pending.append(contentsOf: events)
                    state.cursor = events.count < pageSize ? upTo : (events.last?.revision ?? upTo)
                }
            case .wait:
                await waitForOffer()
            }
        }
    }

    private func nextStep() -> Step {
        state.withLock { state in
            if state.cancelled { return .end }
            if let event = state.popPending() { return .deliver(event) }
            if let failure = state.failure { return .fail(failure) }
            if !state.live {
                if state.cursor >= state.publishedUpTo {
                    state.live = true
                    return .wait
                }
                return .replay(after: state.cursor, upTo: state.publishedUpTo)
            }
            return .wait
        }
    }

    private func waitForOffer() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.hasPending || state.failure != nil || state.cancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.cancelled = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }

    private func readPage(after: StorageRevision, upTo: StorageRevision) async throws(StorageError) -> [StorageEvent] {
        let range = self.range
        let limit = pageSize
        do {
            return try await reader.read { db in
                let compacted = try SQLiteSchema.compactRevision(db)
                if after < compacted {
                    throw StorageError.compacted(oldestAvailable: compacted)
                }
                return try SQLiteLogRow.changes(db, in: range, after: after, upTo: upTo, limit: limit).map(\.event)
            }
        } catch let error as StorageError {
            hub.unregister(self)
            throw error
        } catch {
            hub.unregister(self)
            throw .io(step: .watchReplay, message: String(describing: error))
        }
    }
}
