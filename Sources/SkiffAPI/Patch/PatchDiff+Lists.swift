/// apimachinery's `diffLists`: the patch for one mergeable list.
extension PatchDiff {
    /// - changes: items to add or change (each change holds the merge key and the changed
    ///   fields), followed by `$patch: delete` items for removed objects;
    /// - deletions: removed primitives, sent as `$deleteFromPrimitiveList/<list>`;
    /// - order: the `$setElementOrder/<list>` (merge keys or values in `modified`'s order),
    ///   empty when nothing changed.
    func diffLists(_ original: [JSONValue], _ modified: [JSONValue], schema: PatchSchema, name: String)
        throws(PatchError) -> (changes: [JSONValue], deletions: [JSONValue], order: [JSONValue])
    {
        if original.isEmpty {
            if modified.isEmpty || ignoreChangesAndAdditions { return ([], [], []) }
            return (modified, [], [])
        }
        guard try PatchListOrder.elementType(original, modified) == PatchGoFormat.typeName(.object([:])) else {
            return diffPrimitives(original, modified)
        }
        guard let mergeKey = schema.mergeKey else {
            throw PatchError.noMergeKey(original.first ?? .object([:]), "")
        }
        var changes = try diffObjects(original, modified, schema: schema, mergeKey: mergeKey)
        let deletions = changes.filter(PatchDirective.isDeleteItem)
        changes = try PatchListOrder.sorted(
            changes.filter { !PatchDirective.isDeleteItem($0) }, by: modified, mergeKey: mergeKey)
        let orderSame = try PatchDiffLists.sameOrder(original, modified, mergeKey: mergeKey)
        changes += deletions
        var order: [JSONValue] = []
        if (!ignoreChangesAndAdditions && (!changes.isEmpty || !orderSame)) || (!ignoreDeletions && !changes.isEmpty) {
            order = modified.map { .object([mergeKey: $0[mergeKey]]) }
        }
        return (changes, [], order)
    }

    /// `diffListsOfMaps`: walks both lists sorted by merge key, diffing matching items,
    /// adding new ones and emitting `$patch: delete` for removed ones.
    private func diffObjects(_ original: [JSONValue], _ modified: [JSONValue], schema: PatchSchema, mergeKey: String)
        throws(PatchError) -> [JSONValue]
    {
        let originalSorted = try PatchDiffLists.sortedByMergeKey(original, mergeKey: mergeKey)
        let modifiedSorted = try PatchDiffLists.sortedByMergeKey(modified, mergeKey: mergeKey)
        var result: [JSONValue] = []
        var originalIndex = 0
        var modifiedIndex = 0
        while originalIndex < originalSorted.count || modifiedIndex < modifiedSorted.count {
            let old = originalIndex < originalSorted.count ? originalSorted[originalIndex] : nil
            let new = modifiedIndex < modifiedSorted.count ? modifiedSorted[modifiedIndex] : nil
            if let old, let new, old.key == new.key {
                var nested = try diffMaps(old.item, new.item, schema: schema, buildRetainKeys: schema.retainKeys)
                if !nested.isEmpty {
                    nested[mergeKey] = new.value
                    result.append(.object(nested))
                }
                originalIndex += 1
                modifiedIndex += 1
            } else if let new, old.map({ PatchGoFormat.precedes(new.key, $0.key) }) ?? true {
                if !ignoreChangesAndAdditions { result.append(.object(new.item)) }
                modifiedIndex += 1
            } else if let old {
                if !ignoreDeletions { result.append(PatchDirective.deleteItem(mergeKey: mergeKey, value: old.value)) }
                originalIndex += 1
            }
        }
        return result
    }

    /// `diffListsOfScalars`: additions and removals of a primitive set, and its order.
    private func diffPrimitives(_ original: [JSONValue], _ modified: [JSONValue]) -> (
        changes: [JSONValue], deletions: [JSONValue], order: [JSONValue]
    ) {
        let originalSorted = PatchDiffLists.sortedByGoString(original)
        let modifiedSorted = PatchDiffLists.sortedByGoString(modified)
        var additions: [JSONValue] = []
        var deletions: [JSONValue] = []
        var originalIndex = 0
        var modifiedIndex = 0
        while originalIndex < originalSorted.count || modifiedIndex < modifiedSorted.count {
            let old = originalIndex < originalSorted.count ? PatchGoFormat.value(originalSorted[originalIndex]) : nil
            let new = modifiedIndex < modifiedSorted.count ? PatchGoFormat.value(modifiedSorted[modifiedIndex]) : nil
            switch (old, new) {
            case (let old?, let new?) where old == new:
                originalIndex += 1
                modifiedIndex += 1
            case (let old?, let new?) where PatchGoFormat.precedes(old, new):
                if !ignoreDeletions { deletions.append(originalSorted[originalIndex]) }
                originalIndex += 1
            case (_?, nil):
                if !ignoreDeletions { deletions.append(originalSorted[originalIndex]) }
                originalIndex += 1
            default:
                if !ignoreChangesAndAdditions { additions.append(modifiedSorted[modifiedIndex]) }
                modifiedIndex += 1
            }
        }
        additions = additions.sorted {
            (PatchListOrder.index(of: $0, in: modified, mergeKey: nil) ?? Int.max)
                < (PatchListOrder.index(of: $1, in: modified, mergeKey: nil) ?? Int.max)
        }
        // kubectl compares the *sorted* original with `modified` here (its sort works in
        // place), so an unsorted but unchanged list still gets an order directive.
        var order: [JSONValue] = []
        if (!ignoreDeletions && !deletions.isEmpty) || (!ignoreChangesAndAdditions && originalSorted != modified) {
            order = modified
        }
        return (additions, PatchDiffLists.goDeduplicated(deletions), order)
    }
}

/// Sorting helpers of the diff, on the `%v` text of values as apimachinery sorts.
enum PatchDiffLists {
    static func sortedByGoString(_ values: [JSONValue]) -> [JSONValue] {
        values.enumerated()
            .map { (value: $0.element, text: PatchGoFormat.value($0.element), offset: $0.offset) }
            .sorted {
                $0.text == $1.text ? $0.offset < $1.offset : PatchGoFormat.precedes($0.text, $1.text)
            }
            .map(\.value)
    }

    /// Items with their merge key's `%v` text, sorted on it.
    static func sortedByMergeKey(_ items: [JSONValue], mergeKey: String) throws(PatchError)
        -> [(item: [String: JSONValue], value: JSONValue, key: String)]
    {
        var keyed: [(item: [String: JSONValue], value: JSONValue, key: String)] = []
        for item in items {
            guard case .object(let object) = item else {
                throw PatchError.badArgumentType(expected: "map[string]interface {}", actual: item)
            }
            guard let value = object[mergeKey] else { throw PatchError.noMergeKey(item, mergeKey) }
            keyed.append((object, value, PatchGoFormat.value(value)))
        }
        return keyed.enumerated()
            .sorted {
                $0.element.key == $1.element.key
                    ? $0.offset < $1.offset : PatchGoFormat.precedes($0.element.key, $1.element.key)
            }
            .map(\.element)
    }

    /// `isOrderSame`: same length and the same merge key at every position.
    static func sameOrder(_ original: [JSONValue], _ modified: [JSONValue], mergeKey: String) throws(PatchError) -> Bool
    {
        guard original.count == modified.count else { return false }
        for (old, new) in zip(original, modified) {
            guard let oldKey = old.objectValue?[mergeKey] else { throw PatchError.noMergeKey(old, mergeKey) }
            guard let newKey = new.objectValue?[mergeKey] else { throw PatchError.noMergeKey(new, mergeKey) }
            guard PatchListOrder.sameKey(oldKey, newKey) else { return false }
        }
        return true
    }

    /// apimachinery's `deduplicateScalars`, which fills each duplicate's slot with the last
    /// item; the order of `$deleteFromPrimitiveList` values follows from it.
    static func goDeduplicated(_ values: [JSONValue]) -> [JSONValue] {
        var items = values
        var last = items.count - 1
        var i = 0
        while i < last {
            var j = i + 1
            while j <= last {
                if items[i] == items[j] {
                    items[j] = items[last]
                    items.removeLast()
                    last -= 1
                } else {
                    j += 1
                }
            }
            i += 1
        }
        return items
    }
}
