/// apimachinery's `diffMaps`: the strategic merge patch that turns `original` into
/// `modified`, restricted to additions and changes or to deletions.
struct PatchDiff {
    /// Leave out what `modified` adds or changes (the deletions half of a three-way diff).
    var ignoreChangesAndAdditions: Bool
    /// Leave out what `modified` drops (the changes half: the live object has fields the
    /// user never set).
    var ignoreDeletions: Bool

    func diffMaps(
        _ original: [String: JSONValue], _ modified: [String: JSONValue], schema: PatchSchema, buildRetainKeys: Bool
    ) throws(PatchError) -> [String: JSONValue] {
        var patch: [String: JSONValue] = [:]
        var retained: [JSONValue] = []
        for (key, modifiedValue) in modified {
            if buildRetainKeys && !modifiedValue.isNull { retained.append(.string(key)) }
            guard let originalValue = original[key] else {
                if !ignoreChangesAndAdditions { patch.updateValue(modifiedValue, forKey: key) }
                continue
            }
            if key == PatchDirective.marker {
                guard originalValue.stringValue != nil, modifiedValue.stringValue != nil else {
                    throw PatchError(.unprocessable, "invalid value for special key: \(PatchDirective.marker)")
                }
                if originalValue != modifiedValue { patch[key] = modifiedValue }
                continue
            }
            guard StrategicMerger.sameType(originalValue, modifiedValue) else {
                if !ignoreChangesAndAdditions { patch.updateValue(modifiedValue, forKey: key) }
                continue
            }
            let field = schema.field(key)
            switch (originalValue, modifiedValue) {
            case (.object(let originalObject), .object(let modifiedObject)):
                let nested = try diffMaps(
                    originalObject, modifiedObject, schema: field, buildRetainKeys: field.retainKeys)
                if !nested.isEmpty { patch[key] = .object(nested) }
            case (.array(let originalList), .array(let modifiedList)) where field.mergesList:
                let lists = try diffLists(originalList, modifiedList, schema: field, name: key)
                if !lists.changes.isEmpty { patch[key] = .array(lists.changes) }
                if !lists.deletions.isEmpty {
                    patch["\(PatchDirective.deleteFromPrimitiveList)/\(key)"] = .array(lists.deletions)
                }
                if !lists.order.isEmpty { patch["\(PatchDirective.setElementOrder)/\(key)"] = .array(lists.order) }
            default:
                if !ignoreChangesAndAdditions && originalValue != modifiedValue {
                    patch.updateValue(modifiedValue, forKey: key)
                }
            }
        }
        if !ignoreDeletions {
            for key in original.keys where modified[key] == nil {
                patch.updateValue(.null, forKey: key)
            }
        }
        let clearsFields = original.contains { !$0.value.isNull && modified[$0.key] == nil }
        if !retained.isEmpty && (!patch.isEmpty || clearsFields) {
            patch[PatchDirective.retainKeys] = .array(PatchDiffLists.sortedByGoString(retained))
        }
        return patch
    }
}
