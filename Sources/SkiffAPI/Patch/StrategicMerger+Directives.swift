/// `$retainKeys` and `$setElementOrder/<list>`, which apimachinery handles before the
/// ordinary fields of a map.
extension StrategicMerger {
    /// Applying: clears the original's keys that `$retainKeys` does not list, after checking
    /// that every key the patch sets is listed. Combining: carries the directive into the
    /// combined patch (both halves of a three-way diff must agree on it).
    func applyRetainKeys(_ original: inout [String: JSONValue], _ patch: inout [String: JSONValue]) throws(PatchError) {
        guard let retained = patch.removeValue(forKey: PatchDirective.retainKeys) else { return }
        guard applying else {
            if let existing = original[PatchDirective.retainKeys] {
                guard existing == retained else {
                    throw PatchError(
                        .unprocessable,
                        "\(PatchGoFormat.value(existing)) and \(PatchGoFormat.value(retained)) are not deep equal: "
                            + "this may happen when calculating the 3-way diff patch")
                }
            } else {
                original[PatchDirective.retainKeys] = retained
            }
            return
        }
        guard case .array(let names) = retained else { throw PatchError.badRetainKeysFormat }
        let kept = Set(names)
        for (key, value) in patch where !value.isNull {
            if key.hasPrefix(PatchDirective.deleteFromPrimitiveList) || key.hasPrefix(PatchDirective.setElementOrder) {
                continue
            }
            guard kept.contains(.string(key)) else { throw PatchError.badRetainKeysFormat }
        }
        original = original.filter { kept.contains(.string($0.key)) }
    }

    /// Merges each list that has a `$setElementOrder/<list>` directive and puts it in the
    /// directive's order (apimachinery's `mergePatchIntoOriginal`): items the directive lists
    /// come in its order, the server's other items keep their relative order and are
    /// interleaved by their position in the original list.
    func mergeOrderedLists(
        _ original: inout [String: JSONValue], _ patch: inout [String: JSONValue], schema: PatchSchema
    ) throws(PatchError) {
        let directives = patch.keys.filter { $0.hasPrefix(PatchDirective.setElementOrder) }
        for key in directives.sorted(by: PatchGoFormat.precedes) {
            guard let orderValue = patch.removeValue(forKey: key) else { continue }
            if !applying {
                if let existing = original[key] {
                    guard existing == orderValue else { throw PatchError.badSetElementOrderFormat }
                } else {
                    original[key] = orderValue
                }
            }
            guard case .array(let order) = orderValue else {
                throw PatchError.badArgumentType(expected: "[]interface {}", actual: orderValue)
            }
            let name = try PatchDirective.listName(key, prefix: PatchDirective.setElementOrder)
            let fieldSchema = schema.field(name)
            // An atomic list has no order to merge into: the patch's list replaces it below.
            guard fieldSchema.mergesList else { continue }
            let originalList = try listValue(original[name])
            let patchList = try listValue(patch[name])
            let mergeKey = fieldSchema.mergeKey
            try PatchListOrder.validate(patchList ?? [], against: order, mergeKey: mergeKey)

            let merged: [JSONValue]
            switch (originalList, patchList) {
            case (let current?, let patched?):
                merged = try mergeListField(current, patched, schema: fieldSchema, name: name, isDeletionList: false)
            case (let current?, nil):
                merged = current
            case (nil, let patched?):
                let cleaned =
                    applying
                    ? JSONValue.array(patched).insertablePatchValue()
                    : JSONValue.array(patched).removingPatchMarkedObjects()
                merged = cleaned?.arrayValue ?? []
            case (nil, nil):
                continue
            }
            patch.removeValue(forKey: name)
            let (listed, serverOnly) = try PatchListOrder.partition(merged, by: order, mergeKey: mergeKey)
            var serverOrder = originalList ?? []
            if let mergeKey, let patchList {
                serverOrder = PatchListOrder.aliasedServerOrder(serverOrder, patch: patchList, mergeKey: mergeKey)
            }
            original[name] = .array(
                try PatchListOrder.normalize(
                    patchItems: listed, serverOnly: serverOnly, patchOrder: order, serverOrder: serverOrder,
                    mergeKey: mergeKey))
        }
    }

    private func listValue(_ value: JSONValue?) throws(PatchError) -> [JSONValue]? {
        guard let value else { return nil }
        guard case .array(let list) = value else {
            throw PatchError.badArgumentType(expected: "[]interface {}", actual: value)
        }
        return list
    }
}
