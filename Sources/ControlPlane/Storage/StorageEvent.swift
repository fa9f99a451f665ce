import Foundation

/// One committed change, as a watch delivers it. Events of a watch come in
/// strictly increasing `revision` order, so a client that saw revision N can
/// resume with `watch(fromRevision: N)` and miss nothing.
public struct StorageEvent: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case added
        case modified
        case deleted
    }

    public var kind: Kind
    public var key: String
    /// The revision this change was committed at.
    public var revision: StorageRevision
    public var createRevision: StorageRevision
    /// The new value; for `deleted`, the last value the key held
    /// (Kubernetes sends the deleted object in a DELETED event).
    public var value: Data
    /// The value before this change: nil for `added`.
    public var previousValue: Data?

    public init(
        kind: Kind, key: String, revision: StorageRevision, createRevision: StorageRevision,
        value: Data, previousValue: Data?
    ) {
        self.kind = kind
        self.key = key
        self.revision = revision
        self.createRevision = createRevision
        self.value = value
        self.previousValue = previousValue
    }
}
