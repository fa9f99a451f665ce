/// The parts of list ordering that only `$setElementOrder/<list>` needs.
extension PatchListOrder {
    /// `validatePatchWithSetOrderList`: the patch's items (deletions and directive items
    /// aside) must all appear in the `$setElementOrder` list, in the same relative order.
    static func validate(_ patchList: [JSONValue], against order: [JSONValue], mergeKey: String?) throws(PatchError) {
        guard !order.isEmpty, !patchList.isEmpty else { return }
        var items = patchList
        if mergeKey != nil {
            for item in patchList where item.objectValue == nil {
                throw PatchError.badArgumentType(expected: "map[string]interface {}", actual: item)
            }
            items = patchList.filter { !PatchDirective.isDeleteItem($0) }
        }
        var patchIndex = 0
        var orderIndex = 0
        while patchIndex < items.count && orderIndex < order.count {
            let item = items[patchIndex]
            if item.objectValue?[PatchDirective.marker] != nil {
                patchIndex += 1
                continue
            }
            if try keysEqual(item, order[orderIndex], mergeKey: mergeKey) { patchIndex += 1 }
            orderIndex += 1
        }
        if patchIndex < items.count {
            throw PatchError(
                .unprocessable,
                "The order in patch list:\n\(PatchGoFormat.value(.array(patchList)))\n doesn't match "
                    + "\(PatchDirective.setElementOrder) list:\n\(PatchGoFormat.value(.array(order)))\n")
        }
    }

    private static func keysEqual(_ left: JSONValue, _ right: JSONValue, mergeKey: String?) throws(PatchError) -> Bool {
        guard let mergeKey else { return left == right }
        for item in [left, right] {
            guard case .object(let object) = item else {
                throw PatchError.badArgumentType(expected: "map[string]interface {}", actual: item)
            }
            guard object[mergeKey] != nil else { throw PatchError.noMergeKey(item, mergeKey) }
        }
        return sameKey(left[mergeKey], right[mergeKey])
    }

    /// The original list as apimachinery still sees it after merging a patch into it.
    ///
    /// Go deletes `$patch: delete` items by shifting the rest of the list down inside the
    /// same array, and appends new items into the slots that frees; the order directive
    /// then ranks items by position in that array. So the first appended items take the
    /// freed tail positions and sort after the kept items rather than not at all, which
    /// decides where new items land among server-only ones. Kubernetes' own test cases
    /// pin this behaviour down.
    static func aliasedServerOrder(_ original: [JSONValue], patch: [JSONValue], mergeKey: String) -> [JSONValue] {
        var slots = original
        var count = original.count
        var replace = false
        var additions: [JSONValue] = []
        for item in patch {
            switch item[PatchDirective.marker] {
            case .string(PatchDirective.delete):
                let value = item[mergeKey]
                var index = 0
                while index < count {
                    if slots[index].objectValue?[mergeKey].map({ sameKey($0, value) }) ?? false {
                        slots.replaceSubrange(index..<(count - 1), with: slots[(index + 1)..<count])
                        count -= 1
                    } else {
                        index += 1
                    }
                }
            case .string(PatchDirective.replace):
                replace = true
            case .null, .string(PatchDirective.merge):
                additions.append(item)
            default:
                continue
            }
        }
        guard !replace else { return slots }
        for item in additions where count < slots.count {
            let value = item[mergeKey]
            let present = slots[..<count].contains { $0.objectValue?[mergeKey].map { sameKey($0, value) } ?? false }
            if !present {
                slots[count] = item
                count += 1
            }
        }
        return slots
    }
}
