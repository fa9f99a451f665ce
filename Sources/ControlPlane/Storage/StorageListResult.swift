/// One page of a prefix listing. `revision` is the snapshot the page was read
/// at: the API serves it as the list's `resourceVersion`, and a client pages
/// on by passing it back as `atRevision` with `continueAfter` set to the last
/// key, so every page comes from the same snapshot.
public struct StorageListResult: Hashable, Sendable {
    public var items: [StoredObject]
    public var revision: StorageRevision
    /// True when more keys under the prefix follow the last item at `revision`.
    public var hasMore: Bool

    public init(items: [StoredObject], revision: StorageRevision, hasMore: Bool) {
        self.items = items
        self.revision = revision
        self.hasMore = hasMore
    }
}
