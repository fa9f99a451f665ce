/// The patch `kubectl apply` (client-side) sends: apimachinery's `CreateThreeWayMergePatch`.
///
/// `original` is the last-applied configuration (the annotation), `modified` the file being
/// applied, `current` the live object. The result is the changes from `current` to
/// `modified` (never deleting what only `current` has, such as status, defaults or a
/// `clusterIP`) combined with the deletions from `original` to `modified` (what the user
/// removed from the file). Merge-keyed lists get `$setElementOrder/<list>` and deleted
/// items `$patch: delete`, exactly as kubectl words them; `{}` means "unchanged".
public enum ThreeWayMerge {
    public static func patch(original: JSONValue?, modified: JSONValue, current: JSONValue, schema: PatchSchema)
        throws(PatchError) -> JSONValue
    {
        let originalMap = try document(original ?? .null)
        let modifiedMap = try document(modified)
        let currentMap = try document(current)
        let changes = try PatchDiff(ignoreChangesAndAdditions: false, ignoreDeletions: true)
            .diffMaps(currentMap, modifiedMap, schema: schema, buildRetainKeys: false)
        let deletions = try PatchDiff(ignoreChangesAndAdditions: true, ignoreDeletions: false)
            .diffMaps(originalMap, modifiedMap, schema: schema, buildRetainKeys: false)
        return .object(try StrategicMerger(applying: false).mergeMap(deletions, changes, schema: schema))
    }

    /// An absent document (no last-applied annotation) is an empty object.
    private static func document(_ value: JSONValue) throws(PatchError) -> [String: JSONValue] {
        switch value {
        case .null: return [:]
        case .object(let object): return object
        default: throw PatchError.badJSONDocument
        }
    }
}
