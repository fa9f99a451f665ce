/// JSON patch (RFC 6902), what `application/json-patch+json` means and what
/// `kubectl rollout undo` sends.
///
/// Behaviour and messages follow evanphx/json-patch v4 as the Kubernetes API server runs
/// it (negative array indices count from the end, `-` appends, a missing `value` reads as
/// null), except that `replace` and `copy` refuse a missing member as RFC 6902 requires
/// rather than silently adding one.
public enum JSONPatch {
    /// Applies the operations in order; the first failing one aborts the whole patch.
    /// A body that is not a list of objects is a `.badRequest` error, a failed operation
    /// an `.unprocessable` one.
    public static func apply(_ operations: JSONValue, to target: JSONValue) throws(PatchError) -> JSONValue {
        var document = target
        for operation in try decode(operations) {
            try operation.apply(to: &document)
        }
        return document
    }

    /// Checks every operation's shape before any runs, as the apiserver decodes the whole
    /// patch first.
    static func decode(_ operations: JSONValue) throws(PatchError) -> [JSONPatchOperation] {
        switch operations {
        case .null:
            return []
        case .array(let items):
            var decoded: [JSONPatchOperation] = []
            for item in items {
                switch item {
                case .object(let fields): decoded.append(JSONPatchOperation(fields: fields))
                case .null: decoded.append(JSONPatchOperation(fields: [:]))
                default:
                    throw PatchError.cannotUnmarshal(item, into: "jsonpatch.Operation")
                }
            }
            return decoded
        default:
            throw PatchError.cannotUnmarshal(operations, into: "jsonpatch.Patch")
        }
    }
}
