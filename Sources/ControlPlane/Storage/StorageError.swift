/// Everything a `StorageBackend` can fail with. The API layer maps these onto
/// Kubernetes statuses: `alreadyExists` → 409 AlreadyExists, `conflict` → 409
/// Conflict, `notFound` → 404, `compacted` → 410 Gone/Expired,
/// `futureRevision` → 504 "Too large resource version", the rest → 500.
public enum StorageError: Error, Hashable, Sendable {
    case alreadyExists(key: String)
    case notFound(key: String)
    /// A compare-and-swap lost: the key's current modRevision is `current`.
    case conflict(key: String, current: StorageRevision)
    /// The requested revision's history was compacted away; the oldest
    /// revision that can still be read or watched from is `oldestAvailable`.
    case compacted(oldestAvailable: StorageRevision)
    /// A read asked for a revision the store has not reached yet.
    case futureRevision(requested: StorageRevision, current: StorageRevision)
    /// A watcher did not consume events fast enough and its bounded buffer
    /// filled; it received every event up to `lastDelivered` and should
    /// resume from there.
    case watcherTooSlow(lastDelivered: StorageRevision)
    /// The store was closed (daemon shutdown).
    case closed
    /// The underlying database failed at `step`.
    case io(step: Step, message: String)

    /// Which operation an `io` error came from.
    public enum Step: String, Hashable, Sendable {
        case open
        case migrate
        case get
        case list
        case write
        case watchReplay
        case compact
        case currentRevision
        case close
    }
}
