import Synchronization

/// Fans committed changes out to the watchers of this process. The writer
/// publishes each batch after its commit, in revision order, under one lock
/// that registration also takes, so a new watcher learns exactly which
/// revision live delivery starts after; everything at or below it is already
/// committed and is replayed from the log instead (see `StorageWatcher`).
final class WatchHub: Sendable {
    private struct WeakWatcher {
        weak var watcher: StorageWatcher?
    }

    private struct State {
        var lastPublished: StorageRevision
        var watchers: [ObjectIdentifier: WeakWatcher] = [:]
        var closed = false
    }

    private let state: Mutex<State>

    init(lastPublished: StorageRevision) {
        state = Mutex(State(lastPublished: lastPublished))
    }

    /// Starts live tracking for `watcher`; it is held weakly, so a dropped
    /// stream frees its watcher without an explicit cancel.
    func register(_ watcher: StorageWatcher) throws(StorageError) {
        try state.withLock { (state: inout State) throws(StorageError) in
            guard !state.closed else { throw StorageError.closed }
            state.watchers[ObjectIdentifier(watcher)] = WeakWatcher(watcher: watcher)
            watcher.begin(publishedUpTo: state.lastPublished)
        }
    }

    func unregister(_ watcher: StorageWatcher) {
        _ = state.withLock { $0.watchers.removeValue(forKey: ObjectIdentifier(watcher)) }
    }

    /// Hands one committed batch (revision order) to every watcher.
    func publish(_ events: [StorageEvent]) {
        guard let last = events.last else { return }
        state.withLock { state in
            state.lastPublished = last.revision
            for (id, entry) in state.watchers {
                if let watcher = entry.watcher {
                    watcher.offer(events, publishedUpTo: last.revision)
                } else {
                    state.watchers.removeValue(forKey: id)
                }
            }
        }
    }

    /// Ends every watch with `StorageError.closed` and refuses new ones.
    func close() {
        let watchers = state.withLock { state in
            state.closed = true
            let all = state.watchers.values.compactMap(\.watcher)
            state.watchers = [:]
            return all
        }
        for watcher in watchers {
            watcher.fail(.closed)
        }
    }
}
