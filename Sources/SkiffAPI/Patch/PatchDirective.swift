/// The `$` keys of strategic merge patch, which steer the merge and never belong in a result.
enum PatchDirective {
    /// `$patch: replace | delete | merge` in an object or a list item.
    static let marker = "$patch"
    static let replace = "replace"
    static let delete = "delete"
    static let merge = "merge"
    /// `$retainKeys: [...]`: the keys of this object to keep; others are cleared.
    static let retainKeys = "$retainKeys"
    /// `$deleteFromPrimitiveList/<list>: [...]`: values to remove from a primitive list.
    static let deleteFromPrimitiveList = "$deleteFromPrimitiveList"
    /// `$setElementOrder/<list>: [...]`: the order the merged list must have.
    static let setElementOrder = "$setElementOrder"

    /// Whether a key is a directive rather than a field.
    static func isDirective(_ key: String) -> Bool {
        key == marker || key == retainKeys || key.hasPrefix(deleteFromPrimitiveList) || key.hasPrefix(setElementOrder)
    }

    /// The list a parallel-list key names: `containers` for `$setElementOrder/containers`.
    static func listName(_ key: String, prefix: String) throws(PatchError) -> String {
        let parts = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == prefix else {
            throw prefix == deleteFromPrimitiveList ? PatchError.badPrimitiveListFormat : .badSetElementOrderFormat
        }
        return String(parts[1])
    }

    /// The list item `{"name": "x", "$patch": "delete"}` that a client diff sends to delete
    /// the item whose merge key has this value.
    static func deleteItem(mergeKey: String, value: JSONValue) -> JSONValue {
        .object([mergeKey: value, marker: .string(delete)])
    }

    /// Whether a list item carries `$patch: delete`.
    static func isDeleteItem(_ item: JSONValue) -> Bool {
        item[marker] == .string(delete)
    }
}

extension JSONValue {
    /// This patch value as it should land in an object that did not have the field: null
    /// members dropped (as Kubernetes drops unmatched nulls), objects marked `$patch: delete`
    /// dropped, other `$patch` markers and parallel-list directives removed. Nil when the
    /// whole value is dropped.
    ///
    /// Kubernetes inserts the raw value and relies on decoding into its Go structs to shed
    /// the `$` keys; Skiff stores `JSONValue` as is, so it must clean them here.
    func insertablePatchValue() -> JSONValue? {
        switch self {
        case .object(let object):
            if object[PatchDirective.marker] == .string(PatchDirective.delete) { return nil }
            var cleaned: [String: JSONValue] = [:]
            for (key, value) in object where !value.isNull && !PatchDirective.isDirective(key) {
                if let insertable = value.insertablePatchValue() { cleaned[key] = insertable }
            }
            return .object(cleaned)
        case .array(let array):
            return .array(
                array.compactMap { item in
                    // A bare `{"$patch": "replace"}` marker item says how to merge, it is not an item.
                    if case .object(let object) = item, object.count == 1, object[PatchDirective.marker] != nil {
                        return nil
                    }
                    return item.insertablePatchValue()
                })
        default:
            return self
        }
    }

    /// apimachinery's `removeDirectives`, used when combining two patches: objects that
    /// carry `$patch` are dropped (from lists too), everything else is kept as is.
    func removingPatchMarkedObjects() -> JSONValue? {
        switch self {
        case .object(let object):
            if object[PatchDirective.marker] != nil { return nil }
            return .object(object.compactMapValues { $0.removingPatchMarkedObjects() })
        case .array(let array):
            return .array(array.compactMap { $0.removingPatchMarkedObjects() })
        default:
            return self
        }
    }
}
