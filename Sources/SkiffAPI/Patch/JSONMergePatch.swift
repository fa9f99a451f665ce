/// JSON merge patch (RFC 7386), what `application/merge-patch+json` means and what
/// `kubectl scale` and `kubectl patch --type merge` send.
///
/// Objects merge member by member, a `null` member deletes, and anything that is not an
/// object (a list included) replaces the target outright: merge patch has no notion of
/// merging lists, which is why Kubernetes added strategic merge patch.
public enum JSONMergePatch {
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let members) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, value) in members {
            if value.isNull {
                result.removeValue(forKey: key)
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }
}
