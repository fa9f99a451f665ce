/// Typed access to an object's `metadata`, stored as JSON so that members Skiff does not
/// model (`managedFields`, `selfLink`, future fields) are kept as the client sent them.
///
/// Setting a property to nil (or an empty map/list) removes the member, as Go's
/// `omitempty` leaves it out of the object the API server returns.
public struct ObjectMeta: Hashable, Sendable {
    /// The whole `metadata` object, unknown members included.
    public var json: JSONValue

    public init(json: JSONValue = .emptyObject) {
        self.json = json
    }

    public var name: String? {
        get { json["name"].stringValue }
        set { json["name"] = newValue.map(JSONValue.string) ?? .null }
    }

    public var generateName: String? {
        get { json["generateName"].stringValue }
        set { json["generateName"] = newValue.map(JSONValue.string) ?? .null }
    }

    public var namespace: String? {
        get { json["namespace"].stringValue }
        set { json["namespace"] = newValue.map(JSONValue.string) ?? .null }
    }

    public var uid: String? {
        get { json["uid"].stringValue }
        set { json["uid"] = newValue.map(JSONValue.string) ?? .null }
    }

    /// Opaque to clients; a string in JSON even though Skiff's store counts it as a number.
    public var resourceVersion: String? {
        get { json["resourceVersion"].stringValue }
        set { json["resourceVersion"] = newValue.map(JSONValue.string) ?? .null }
    }

    public var generation: Int64? {
        get { json["generation"].int64Value }
        set { json["generation"] = newValue.map(JSONValue.integer) ?? .null }
    }

    /// RFC 3339 in UTC with seconds (`2026-11-28T01:00:00Z`), as the API server writes it.
    public var creationTimestamp: String? {
        get { json["creationTimestamp"].stringValue }
        set { json["creationTimestamp"] = newValue.map(JSONValue.string) ?? .null }
    }

    public var deletionTimestamp: String? {
        get { json["deletionTimestamp"].stringValue }
        set { json["deletionTimestamp"] = newValue.map(JSONValue.string) ?? .null }
    }

    /// Labels; members that are not strings are skipped (validation reports them).
    public var labels: [String: String] {
        get { Self.stringMap(json["labels"]) }
        set { json["labels"] = newValue.isEmpty ? .null : JSONValue(stringMap: newValue) }
    }

    public var annotations: [String: String] {
        get { Self.stringMap(json["annotations"]) }
        set { json["annotations"] = newValue.isEmpty ? .null : JSONValue(stringMap: newValue) }
    }

    /// Owner references; entries lacking apiVersion, kind, name or uid are skipped.
    /// Setting rewrites the list from the typed values.
    public var ownerReferences: [OwnerReference] {
        get { (json["ownerReferences"].arrayValue ?? []).compactMap(OwnerReference.init(json:)) }
        set { json["ownerReferences"] = newValue.isEmpty ? .null : .array(newValue.map(\.json)) }
    }

    /// The owner with `controller: true`, which `rollout history` and GC follow.
    public var controllerReference: OwnerReference? {
        ownerReferences.first { $0.controller == true }
    }

    public var finalizers: [String] {
        get { (json["finalizers"].arrayValue ?? []).compactMap(\.stringValue) }
        set { json["finalizers"] = newValue.isEmpty ? .null : .array(newValue.map(JSONValue.string)) }
    }

    private static func stringMap(_ value: JSONValue) -> [String: String] {
        var result: [String: String] = [:]
        for (key, member) in value.objectValue ?? [:] {
            if let string = member.stringValue { result[key] = string }
        }
        return result
    }
}

extension JSONValue {
    /// The object's `metadata` as `ObjectMeta`; setting writes it back, unknown members included.
    public var metadata: ObjectMeta {
        get { ObjectMeta(json: self["metadata"].objectValue == nil ? .emptyObject : self["metadata"]) }
        set { self["metadata"] = newValue.json }
    }

    /// `apiVersion` and `kind` of an object, nil when either is missing or malformed.
    public var groupVersionKind: GroupVersionKind? {
        guard let apiVersion = self["apiVersion"].stringValue, let kind = self["kind"].stringValue, !kind.isEmpty
        else { return nil }
        return GroupVersionKind(apiVersion: apiVersion, kind: kind)
    }
}
