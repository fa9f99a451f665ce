import SkiffAPI

/// The client-side `apply` decision, as kubectl makes it, without any I/O: what the object
/// sent looks like (namespace filled in, `last-applied-configuration` annotation set) and
/// whether to create it, leave it, or patch it with a three-way strategic merge.
public enum ApplyPlan {
    public static let lastAppliedAnnotation = KnownAnnotations.lastAppliedConfiguration

    public enum Decision: Equatable, Sendable {
        /// POST this object (the annotation already inside).
        case create(JSONValue)
        /// The three-way patch is `{}`: nothing to send.
        case unchanged
        /// PATCH with this strategic-merge patch.
        case patch(JSONValue)
    }

    /// The object with `metadata.namespace` filled in for a namespaced kind, as kubectl's
    /// builder sets it before anything is computed (so the annotation names the namespace).
    public static func placed(_ object: JSONValue, kind: ResourceKind, namespace: String) -> JSONValue {
        guard kind.namespaced else { return object }
        var object = object
        if object["metadata"]["namespace"].stringValue?.isEmpty ?? true {
            object[path: ["metadata", "namespace"]] = .string(namespace)
        }
        return object
    }

    /// The annotation's value: the object as compact JSON, its own annotations present but
    /// without this one (`"annotations":{}` when it has none, as kubectl writes it), and a
    /// trailing newline, as Go's JSON encoder ends a document.
    public static func lastAppliedConfiguration(of object: JSONValue) -> String {
        var object = object
        var annotations = object["metadata"]["annotations"].objectValue ?? [:]
        annotations.removeValue(forKey: lastAppliedAnnotation)
        object[path: ["metadata", "annotations"]] = .object(annotations)
        return GoJSON.compact(object) + "\n"
    }

    /// The object to send: the file's object with the annotation set to its own configuration.
    public static func modified(_ object: JSONValue) -> JSONValue {
        var object = object
        var annotations = object["metadata"]["annotations"].objectValue ?? [:]
        annotations[lastAppliedAnnotation] = .string(lastAppliedConfiguration(of: object))
        object[path: ["metadata", "annotations"]] = .object(annotations)
        return object
    }

    /// Whether the live object carries the annotation; kubectl warns when it does not.
    public static func hasLastApplied(_ live: JSONValue) -> Bool {
        live["metadata"]["annotations"][lastAppliedAnnotation].stringValue != nil
    }

    /// Create when nothing is live; otherwise diff the live annotation (what was applied
    /// last), the file and the live object.
    public static func decide(file object: JSONValue, live: JSONValue?) throws(PatchError) -> Decision {
        let modified = modified(object)
        guard let live else { return .create(modified) }
        let original: JSONValue? = live["metadata"]["annotations"][lastAppliedAnnotation].stringValue.flatMap {
            $0.isEmpty ? nil : try? JSONValue(jsonString: $0)
        }
        let schema = object.groupVersionKind.map(PatchSchema.forKind) ?? .unknown
        let patch = try ThreeWayMerge.patch(original: original, modified: modified, current: live, schema: schema)
        if patch == .emptyObject { return .unchanged }
        return .patch(patch)
    }
}
