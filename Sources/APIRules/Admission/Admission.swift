import SkiffAPI

/// What the API server does to an incoming object of a built-in resource before storing it:
/// Kubernetes 1.32's defaulting, validation and strict unknown-field detection, on `JSONValue`
/// objects so that fields Skiff does not model pass through untouched.
///
/// The server calls them in Kubernetes' order: `unknownFields` (only for
/// `fieldValidation=Strict`), then `applyDefaults`, then `validate`. Validation assumes
/// defaults were applied, as Kubernetes' does: a missing `terminationMessagePolicy` is
/// reported as required because defaulting would have set it.
public enum Admission {
    /// Applies Kubernetes' defaults in place (SetDefaults_* of k8s.io/kubernetes/pkg/apis/*/v1),
    /// plus what the registry strategies and default admission plugins add on create
    /// (Secret `stringData` folded into `data`, Namespace finalizer, Pod priority, Job selector
    /// when `metadata.uid` is already set).
    public static func applyDefaults(_ object: inout JSONValue, resource: ResourceKind) {
        guard let kind = BuiltinKind(resource) else { return }
        kind.applyDefaults(&object)
    }

    /// Validation errors for a create (old == nil) or update (old = stored object); empty when valid.
    /// The messages are apimachinery's, so they can be shown to kubectl users as they are.
    public static func validate(_ object: JSONValue, old: JSONValue?, resource: ResourceKind) -> [FieldError] {
        guard let kind = BuiltinKind(resource) else {
            return MetaValidation.objectMeta(object, namespaced: resource.namespaced, name: .subdomain)
        }
        var errors = kind.validate(object, creating: old == nil)
        if let old { errors += kind.validateUpdate(object, old: old) }
        return errors
    }

    /// Fields the object has that the kind does not define, as dotted paths in Kubernetes' strict-decoding
    /// wording (`spec.volumeMounts`, `spec.template.spec.containers[0].imagee`), for fieldValidation=Strict.
    ///
    /// Kubernetes lists them in document order; objects here are unordered, so members are
    /// visited in sorted order instead. Resources Skiff has no schema for report nothing.
    public static func unknownFields(_ object: JSONValue, resource: ResourceKind) -> [String] {
        guard let kind = BuiltinKind(resource) else { return [] }
        var found: [String] = []
        kind.schema.collectUnknown(in: object, at: FieldPath.root, into: &found)
        return found
    }
}
