/// What a delete returns: the revision the delete was committed at, and the
/// object as it was just before, which the API returns to the client and
/// which a watch `deleted` event carries too.
public struct StorageDeletion: Hashable, Sendable {
    public var revision: StorageRevision
    public var deleted: StoredObject

    public init(revision: StorageRevision, deleted: StoredObject) {
        self.revision = revision
        self.deleted = deleted
    }
}
