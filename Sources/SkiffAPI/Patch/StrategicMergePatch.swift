/// Strategic merge patch, what `application/strategic-merge-patch+json` means and what
/// `kubectl apply`, `set image`, `label` and `annotate` send for built-in kinds.
///
/// Like JSON merge patch, objects merge and `null` deletes; unlike it, lists the schema
/// marks as mergeable merge item by item (`containers` by `name`), and `$` directives
/// steer the merge: `$patch: replace|delete|merge`, `$retainKeys`,
/// `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`. The semantics,
/// the resulting list order included, follow apimachinery's `strategicpatch` (Kubernetes 1.32).
public enum StrategicMergePatch {
    public static func apply(_ patch: JSONValue, to original: JSONValue, schema: PatchSchema) throws(PatchError)
        -> JSONValue
    {
        let patchMap: [String: JSONValue]
        switch patch {
        case .object(let object): patchMap = object
        case .null: patchMap = [:]
        default:
            throw PatchError.cannotUnmarshal(patch, into: "map[string]interface {}")
        }
        guard case .object(let originalMap) = original else { throw PatchError.badJSONDocument }
        return .object(try StrategicMerger(applying: true).mergeMap(originalMap, patchMap, schema: schema))
    }
}

/// apimachinery's `mergeMap` and friends, in the two modes Kubernetes runs them:
/// the API server *applying* a patch to an object, and kubectl *combining* the deletions
/// patch with the changes patch of a three-way merge (where directives are kept, not obeyed).
struct StrategicMerger {
    /// True when applying to an object (`MergeParallelList` and `IgnoreUnmatchedNulls` in
    /// apimachinery); false when combining two patches into one.
    let applying: Bool

    init(applying: Bool) {
        self.applying = applying
    }

    func mergeMap(_ original: [String: JSONValue], _ patch: [String: JSONValue], schema: PatchSchema) throws(PatchError)
        -> [String: JSONValue]
    {
        var patch = patch
        if let directive = patch[PatchDirective.marker] {
            switch directive {
            case .string(PatchDirective.replace):
                patch.removeValue(forKey: PatchDirective.marker)
                return applying ? (JSONValue.object(patch).insertablePatchValue()?.objectValue ?? [:]) : patch
            case .string(PatchDirective.delete):
                return [:]
            case .string(PatchDirective.merge):
                // Kubernetes rejects `$patch: merge` on objects; merging is what an object
                // without a marker does anyway, so Skiff accepts it as that.
                patch.removeValue(forKey: PatchDirective.marker)
            default:
                throw PatchError.unknownPatchType(directive, in: .object(patch))
            }
        }
        var original = original
        try applyRetainKeys(&original, &patch)
        try mergeOrderedLists(&original, &patch, schema: schema)

        // Go walks the patch map in random order; sorted keys make Skiff deterministic.
        for key in patch.keys.sorted(by: PatchGoFormat.precedes) {
            guard let patchValue = patch[key] else { continue }
            var field = key
            var isDeletionList = false
            if key.hasPrefix(PatchDirective.deleteFromPrimitiveList) {
                guard applying else {
                    original[key] = patchValue
                    continue
                }
                field = try PatchDirective.listName(key, prefix: PatchDirective.deleteFromPrimitiveList)
                isDeletionList = true
            }
            if patchValue.isNull {
                // (Kubernetes would delete the list itself for a null deletion list.)
                if !isDeletionList { original.removeValue(forKey: field) }
                if applying { continue }
            }
            guard let current = original[field], Self.sameType(current, patchValue) else {
                if !isDeletionList { insert(patchValue, at: field, in: &original) }
                continue
            }
            switch (current, patchValue) {
            case (.object(let currentObject), .object(let patchObject)):
                original[field] = .object(try mergeMap(currentObject, patchObject, schema: schema.field(field)))
            case (.array(let currentList), .array(let patchList)):
                original[field] = .array(
                    try mergeListField(
                        currentList, patchList, schema: schema.field(field), name: field, isDeletionList: isDeletionList
                    ))
            default:
                insert(patchValue, at: field, in: &original)
            }
        }
        return original
    }

    /// Sets a field to a patch value that is not merged with anything; when applying, the
    /// value is cleaned of nulls and directives first.
    func insert(_ value: JSONValue, at key: String, in object: inout [String: JSONValue]) {
        if let cleaned = applying ? value.insertablePatchValue() : value.removingPatchMarkedObjects() {
            object.updateValue(cleaned, forKey: key)
        } else {
            object.removeValue(forKey: key)
        }
    }

    /// Go compares `reflect.TypeOf` of decoded values, where integers (int64) and other
    /// numbers (float64) are different types; a value of another type is replaced, not merged.
    static func sameType(_ left: JSONValue, _ right: JSONValue) -> Bool {
        PatchGoFormat.typeName(left) == PatchGoFormat.typeName(right)
    }
}
