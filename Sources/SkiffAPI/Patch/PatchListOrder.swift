/// The list bookkeeping of apimachinery's strategic merge: which items a patch touches,
/// and the order of the merged list (`normalizeElementOrder`, `mergeSortedSlice`).
///
/// Lists of objects are compared on their merge key (`mergeKey` non-nil), lists of
/// primitives on their values (`mergeKey` nil).
enum PatchListOrder {
    /// The Go type shared by all items (`map[string]interface {}`, `string`, …), nil for no
    /// items; lists of lists and mixed lists are errors, as in apimachinery.
    static func elementType(_ lists: [JSONValue]...) throws(PatchError) -> String? {
        var type: String?
        for item in lists.joined() {
            let itemType = PatchGoFormat.typeName(item)
            if let type {
                guard itemType == type else { throw PatchError.elementTypesDiffer(lists) }
            } else {
                if case .array = item { throw PatchError.listOfLists }
                type = itemType
            }
        }
        return type
    }

    /// Merge key values match like Go's `==` on decoded JSON, except that Skiff's `80` and
    /// `80.0` are one number (Kubernetes decodes both to int64).
    static func sameKey(_ left: JSONValue, _ right: JSONValue) -> Bool {
        if left == right { return true }
        if let leftNumber = left.int64Value, let rightNumber = right.int64Value { return leftNumber == rightNumber }
        return false
    }

    /// Removes repeated values keeping the first, as a set union should.
    static func deduplicated(_ values: [JSONValue]) -> [JSONValue] {
        var seen = Set<JSONValue>()
        return values.filter { seen.insert($0).inserted }
    }

    /// Splits `items` into those present in `list` and those not, keeping their order.
    static func partition(_ items: [JSONValue], by list: [JSONValue], mergeKey: String?) throws(PatchError)
        -> (present: [JSONValue], absent: [JSONValue])
    {
        var present: [JSONValue] = []
        var absent: [JSONValue] = []
        for item in items {
            if let mergeKey {
                guard case .object(let object) = item else {
                    throw PatchError.badArgumentType(expected: "map[string]interface {}", actual: item)
                }
                guard let value = object[mergeKey] else { throw PatchError.noMergeKey(item, mergeKey) }
                let found = list.contains { $0.objectValue?[mergeKey].map { sameKey($0, value) } ?? false }
                if found { present.append(item) } else { absent.append(item) }
            } else if list.contains(item) {
                present.append(item)
            } else {
                absent.append(item)
            }
        }
        return (present, absent)
    }

    /// The merged list's order: the patch's items sorted by `patchOrder`, the server-only
    /// items sorted by `serverOrder`, then interleaved by their positions in `serverOrder`.
    static func normalize(
        patchItems: [JSONValue], serverOnly: [JSONValue], patchOrder: [JSONValue], serverOrder: [JSONValue],
        mergeKey: String?
    ) throws(PatchError) -> [JSONValue] {
        let patchSorted = try sorted(patchItems, by: patchOrder, mergeKey: mergeKey)
        let serverSorted = try sorted(serverOnly, by: serverOrder, mergeKey: mergeKey)
        return interleave(serverSorted, patchSorted, serverOrder: serverOrder, mergeKey: mergeKey)
    }

    /// `normalizeSliceOrder`: a stable sort by position in `order`; for objects, every item
    /// must carry the merge key and `$patch: delete` items go last.
    static func sorted(_ items: [JSONValue], by order: [JSONValue], mergeKey: String?) throws(PatchError)
        -> [JSONValue]
    {
        var toSort = items
        var deletions: [JSONValue] = []
        if let mergeKey {
            for item in items + order {
                guard case .object(let object) = item else {
                    throw PatchError.badArgumentType(expected: "map[string]interface {}", actual: item)
                }
                guard object[mergeKey] != nil else { throw PatchError.noMergeKey(item, mergeKey) }
            }
            toSort = items.filter { !PatchDirective.isDeleteItem($0) }
            deletions = items.filter(PatchDirective.isDeleteItem)
        }
        let ranked = toSort.enumerated().map { offset, item in
            (item: item, rank: index(of: item, in: order, mergeKey: mergeKey) ?? Int.max, offset: offset)
        }
        let ordered = ranked.sorted { ($0.rank, $0.offset) < ($1.rank, $1.offset) }.map(\.item)
        return ordered + deletions
    }

    /// `mergeSortedSlice`: takes a server-only item first only when both it and the next
    /// patch item are in `serverOrder` and it comes earlier there; so items new to the list
    /// come out as soon as they are reached.
    static func interleave(
        _ serverOnly: [JSONValue], _ patched: [JSONValue], serverOrder: [JSONValue], mergeKey: String?
    )
        -> [JSONValue]
    {
        var result: [JSONValue] = []
        result.reserveCapacity(serverOnly.count + patched.count)
        var left = serverOnly[...]
        var right = patched[...]
        while let nextRight = right.first {
            if let nextLeft = left.first,
                let leftIndex = index(of: nextLeft, in: serverOrder, mergeKey: mergeKey),
                let rightIndex = index(of: nextRight, in: serverOrder, mergeKey: mergeKey),
                leftIndex < rightIndex
            {
                result.append(nextLeft)
                left = left.dropFirst()
            } else {
                result.append(nextRight)
                right = right.dropFirst()
            }
        }
        return result + left
    }

    /// The position of an item in a list, by merge key or by value.
    static func index(of item: JSONValue, in list: [JSONValue], mergeKey: String?) -> Int? {
        guard let mergeKey else { return list.firstIndex(of: item) }
        let value = item[mergeKey]
        return list.firstIndex { sameKey($0[mergeKey], value) }
    }
}
