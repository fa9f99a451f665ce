import SkiffAPI

/// One object read from a manifest: what `-f` contributes to `apply`, `create` or `delete`.
///
/// The file and line travel with the object so that every later message (a validation
/// error, the server's rejection) can point back at where the object was written.
public struct ManifestDocument: Hashable, Sendable {
    /// The object as JSON, integers kept as integers.
    public var object: JSONValue
    /// The file as the user named it (`deployment.yaml`, `dir/svc.yaml`), or `STDIN`.
    public var source: String
    /// The 1-based line where the document (or the `List` item) starts.
    public var line: Int

    public init(object: JSONValue, source: String, line: Int) {
        self.object = object
        self.source = source
        self.line = line
    }

    /// `apiVersion` and `kind`, nil when either is missing or malformed.
    public var groupVersionKind: GroupVersionKind? { object.groupVersionKind }
}
