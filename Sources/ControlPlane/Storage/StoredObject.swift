import Foundation

/// One key's current value as the store holds it. `modRevision` is what the API
/// serves as `resourceVersion` and what `update`/`delete` compare against;
/// `createRevision` stays fixed for the key's lifetime (as etcd's create_revision),
/// so a delete-then-recreate is distinguishable from an update.
public struct StoredObject: Hashable, Sendable {
    public var key: String
    public var value: Data
    public var createRevision: StorageRevision
    public var modRevision: StorageRevision

    public init(key: String, value: Data, createRevision: StorageRevision, modRevision: StorageRevision) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
    }
}
