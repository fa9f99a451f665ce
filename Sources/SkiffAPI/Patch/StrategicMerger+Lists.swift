/// Merging one list field (apimachinery's `mergeSliceHandler` and `mergeSlice`).
extension StrategicMerger {
    /// A mergeable list merges with the patch's; any other list is replaced by it. A
    /// `$deleteFromPrimitiveList` removes values whatever the list's strategy.
    func mergeListField(
        _ original: [JSONValue], _ patch: [JSONValue], schema: PatchSchema, name: String, isDeletionList: Bool
    ) throws(PatchError) -> [JSONValue] {
        guard schema.mergesList || isDeletionList else {
            return applying ? (JSONValue.array(patch).insertablePatchValue()?.arrayValue ?? []) : patch
        }
        if original.isEmpty && patch.isEmpty { return original }
        guard let kind = try PatchListOrder.elementType(original, patch) else { return original }
        guard kind == PatchGoFormat.typeName(.object([:])) else {
            return try mergePrimitives(original, patch, isDeletionList: isDeletionList)
        }
        // A deletion list names values, not objects; Kubernetes has no meaning for it here.
        if isDeletionList { return original }
        guard let mergeKey = schema.mergeKey else {
            throw PatchError(.unprocessable, "cannot merge lists without merge key for \(name)")
        }
        let (base, items) = try applySpecialItems(original, patch, mergeKey: mergeKey)
        let merged = try mergeItems(base, items, mergeKey: mergeKey, schema: schema)
        let (patched, serverOnly) = try PatchListOrder.partition(merged, by: items, mergeKey: mergeKey)
        return try PatchListOrder.normalize(
            patchItems: patched, serverOnly: serverOnly, patchOrder: items, serverOrder: base, mergeKey: mergeKey)
    }

    /// A set of primitives: the union without duplicates, or (for a deletion list, when
    /// applying) the original without the listed values.
    private func mergePrimitives(_ original: [JSONValue], _ patch: [JSONValue], isDeletionList: Bool) throws(PatchError)
        -> [JSONValue]
    {
        if applying && isDeletionList {
            return original.filter { !patch.contains($0) }
        }
        let merged = PatchListOrder.deduplicated(original + patch)
        let (patched, serverOnly) = try PatchListOrder.partition(merged, by: patch, mergeKey: nil)
        return try PatchListOrder.normalize(
            patchItems: patched, serverOnly: serverOnly, patchOrder: patch, serverOrder: original, mergeKey: nil)
    }

    /// Handles the items carrying `$patch`: `delete` removes the original items with that
    /// merge key, `replace` makes the patch's other items the whole list. Returns the list to
    /// merge into and the ordinary items to merge.
    private func applySpecialItems(_ original: [JSONValue], _ patch: [JSONValue], mergeKey: String) throws(PatchError)
        -> (base: [JSONValue], items: [JSONValue])
    {
        var base = original
        var items: [JSONValue] = []
        var replace = false
        for item in patch {
            guard case .object(var fields) = item, let directive = fields[PatchDirective.marker] else {
                items.append(item)
                continue
            }
            switch directive {
            case .string(PatchDirective.delete):
                guard let value = fields[mergeKey] else { throw PatchError.noMergeKey(item, mergeKey) }
                base.removeAll { $0.objectValue?[mergeKey].map { PatchListOrder.sameKey($0, value) } ?? false }
            case .string(PatchDirective.replace):
                replace = true
            case .string(PatchDirective.merge):
                // Kubernetes answers "merging lists cannot yet be specified in the patch"; an
                // item that asks to be merged is merged like any other.
                fields.removeValue(forKey: PatchDirective.marker)
                items.append(.object(fields))
            default:
                throw PatchError.unknownPatchType(directive, in: item)
            }
        }
        if replace {
            let replacement = applying ? items.compactMap { $0.insertablePatchValue() } : items
            return (replacement, [])
        }
        return (base, items)
    }

    /// Merges each patch item into the original item with the same merge key, or appends it.
    private func mergeItems(_ base: [JSONValue], _ items: [JSONValue], mergeKey: String, schema: PatchSchema)
        throws(PatchError) -> [JSONValue]
    {
        var merged = base
        for item in items {
            guard case .object(let patchItem) = item, let value = patchItem[mergeKey] else {
                throw PatchError.noMergeKey(item, mergeKey)
            }
            let match = merged.firstIndex {
                $0.objectValue?[mergeKey].map { PatchListOrder.sameKey($0, value) } ?? false
            }
            if let match, case .object(let originalItem) = merged[match] {
                merged[match] = .object(try mergeMap(originalItem, patchItem, schema: schema))
            } else if applying {
                if let cleaned = item.insertablePatchValue() { merged.append(cleaned) }
            } else {
                merged.append(item)
            }
        }
        return merged
    }
}
