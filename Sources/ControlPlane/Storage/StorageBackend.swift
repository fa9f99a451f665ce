import Foundation

/// The narrow seam between the API layer and where objects live, after kine's
/// `Backend`: keys are flat strings (`/registry/pods/default/web`), values are
/// opaque bytes, and every change gets the next `StorageRevision`. Keeping it
/// this small is what lets an etcd backend (multi-server control plane) slot
/// in later without the API layer changing.
///
/// Every method is async and never blocks the cooperative pool; a returned
/// write revision means the change is durable.
public protocol StorageBackend: Sendable {
    /// The key's current object, or nil when it does not exist.
    func get(_ key: String) async throws(StorageError) -> StoredObject?

    /// Keys starting with `prefix`, in key order, as of `atRevision` (nil: now).
    /// At most `limit` items (nil: all), starting after key `continueAfter`.
    func list(
        prefix: String, limit: Int?, continueAfter: String?, atRevision: StorageRevision?
    ) async throws(StorageError) -> StorageListResult

    /// Creates `key`; fails with `alreadyExists` when it exists.
    func create(_ key: String, value: Data) async throws(StorageError) -> StorageRevision

    /// Replaces `key`'s value when its modRevision is still `expectedRevision`
    /// (compare-and-swap); fails with `conflict(current:)` or `notFound`.
    func update(
        _ key: String, value: Data, expectedRevision: StorageRevision
    ) async throws(StorageError) -> StorageRevision

    /// Deletes `key`, only if its modRevision is `expectedRevision` when given.
    func delete(
        _ key: String, expectedRevision: StorageRevision?
    ) async throws(StorageError) -> StorageDeletion

    /// Every change under `prefix` with a revision greater than `fromRevision`:
    /// first the history from the log, then live changes, with no gap and no
    /// duplicate. Throws `compacted` when that history is gone.
    func watch(
        prefix: String, fromRevision: StorageRevision
    ) async throws(StorageError) -> AsyncThrowingStream<StorageEvent, Error>

    /// Forgets history at or below `revision` that no current key needs:
    /// reads and watches older than `revision` fail with `compacted` afterwards.
    func compact(upTo revision: StorageRevision) async throws(StorageError)

    /// The revision of the latest committed change (0 for an empty store).
    func currentRevision() async throws(StorageError) -> StorageRevision
}
