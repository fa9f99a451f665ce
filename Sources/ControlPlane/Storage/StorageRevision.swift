/// The store's single, increasing counter: every create, update and delete
/// gets the next revision, which the API serves as `resourceVersion`
/// (as etcd's mod_revision, and as kine maps it onto SQL rows).
public struct StorageRevision: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var value: Int64

    public init(_ value: Int64) {
        self.value = value
    }

    public static func < (lhs: StorageRevision, rhs: StorageRevision) -> Bool { lhs.value < rhs.value }

    public var description: String { String(value) }
}
