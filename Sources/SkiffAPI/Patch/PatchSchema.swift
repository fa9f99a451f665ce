/// How strategic merge patch treats the fields of one kind: which lists merge and by
/// which key, which primitive lists are sets, which objects drop unlisted keys.
///
/// Kubernetes reads this from `patchStrategy`/`patchMergeKey` struct tags of its Go types;
/// Skiff keeps objects as `JSONValue`, so the same facts live in this tree instead. A node
/// describes a value at one field: for an object its `fields`, for a list of objects the
/// fields of each item. Anything not described merges objects recursively and replaces
/// lists whole, which is what Kubernetes does for untagged fields.
public struct PatchSchema: Sendable, Hashable {
    /// How a list field merges.
    public enum ListStrategy: Sendable, Hashable {
        /// Replaced whole by the patch (`tolerations`, `command`, `volumeClaimTemplates`).
        case atomic
        /// A list of objects merged item by item, matching items on this key
        /// (`containers` by `name`, container `ports` by `containerPort`).
        case merge(key: String)
        /// A list of primitives merged by value, without duplicates (`finalizers`).
        case set
    }

    public var listStrategy: ListStrategy
    /// `patchStrategy:"retainKeys"`: a client diff lists the keys to keep in `$retainKeys`,
    /// so switching `strategy.type` to Recreate clears `rollingUpdate`.
    public var retainKeys: Bool
    /// The described fields of this object, or of each item of this list.
    public var fields: [String: PatchSchema]

    public init(listStrategy: ListStrategy = .atomic, retainKeys: Bool = false, fields: [String: PatchSchema] = [:]) {
        self.listStrategy = listStrategy
        self.retainKeys = retainKeys
        self.fields = fields
    }

    /// Nothing known: objects merge recursively, lists are replaced.
    public static let unknown = PatchSchema()

    /// An object with these described fields.
    public static func object(_ fields: [String: PatchSchema], retainKeys: Bool = false) -> PatchSchema {
        PatchSchema(retainKeys: retainKeys, fields: fields)
    }

    /// A list of objects merged on `key`, each item described by `fields`.
    public static func list(
        mergingOn key: String, retainKeys: Bool = false, _ fields: [String: PatchSchema] = [:]
    ) -> PatchSchema {
        PatchSchema(listStrategy: .merge(key: key), retainKeys: retainKeys, fields: fields)
    }

    /// A list of primitives merged by value.
    public static let set = PatchSchema(listStrategy: .set)

    /// The node for a field of this object (or of this list's items).
    public func field(_ name: String) -> PatchSchema {
        fields[name] ?? .unknown
    }

    /// The merge key of a `.merge` list.
    var mergeKey: String? {
        if case .merge(let key) = listStrategy { return key }
        return nil
    }

    /// Whether a list here merges (by key or by value) rather than being replaced.
    var mergesList: Bool {
        if case .atomic = listStrategy { return false }
        return true
    }
}
