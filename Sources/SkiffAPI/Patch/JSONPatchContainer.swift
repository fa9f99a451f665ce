/// The object or array a JSON patch operation acts on, with evanphx/json-patch's rules:
/// array indices may be negative (counting from the end), `-` appends on add, and
/// the inner error texts are the library's (`Unable to access invalid index: 5: invalid
/// index referenced`).
enum JSONPatchContainer {
    /// Runs `body` on the object or array that holds the path's last token and writes the
    /// change back. Nil when the path is not a pointer, is the whole document, or when a
    /// token on the way does not lead to an object or array (a null member counts as missing).
    static func withParent<T>(
        of path: String, in document: inout JSONValue,
        _ body: (inout JSONValue, String) throws(PatchError) -> T
    ) throws(PatchError) -> T? {
        guard let pointer = JSONPointer(path), !pointer.tokens.isEmpty else { return nil }
        return try descend(pointer.tokens[...], in: &document, body)
    }

    private static func descend<T>(
        _ tokens: ArraySlice<String>, in container: inout JSONValue,
        _ body: (inout JSONValue, String) throws(PatchError) -> T
    ) throws(PatchError) -> T? {
        guard isContainer(container), let token = tokens.first else { return nil }
        if tokens.count == 1 { return try body(&container, token) }
        // `try?` flattens: nil for a bad index and for an absent member alike.
        guard let found = try? child(token, of: container), isContainer(found) else { return nil }
        var next = found
        guard let result = try descend(tokens.dropFirst(), in: &next, body) else { return nil }
        try set(next, at: token, in: &container)
        return result
    }

    private static func isContainer(_ value: JSONValue) -> Bool {
        value.objectValue != nil || value.arrayValue != nil
    }

    /// The member or element at `key`; nil for an absent object member.
    static func child(_ key: String, of container: JSONValue) throws(PatchError) -> JSONValue? {
        switch container {
        case .object(let object):
            return object[key]
        case .array(let array):
            return array[try existingIndex(key, count: array.count)]
        default:
            return nil
        }
    }

    /// Like `child`, but an absent member is an error (RFC 6902 `copy` needs its source).
    static func existingChild(_ key: String, of container: JSONValue) throws(PatchError) -> JSONValue {
        guard let value = try child(key, of: container) else {
            throw PatchError(.unprocessable, "unable to get nonexistent key: \(key): missing value")
        }
        return value
    }

    /// Adds a member (replacing one of the same name) or inserts an element before `key`.
    static func add(_ value: JSONValue, at key: String, in container: inout JSONValue) throws(PatchError) {
        switch container {
        case .object(var object):
            object[key] = value
            container = .object(object)
        case .array(var array):
            if key == "-" {
                array.append(value)
            } else {
                guard let index = Int(key) else {
                    throw PatchError(.unprocessable, "value was not a proper array index: '\(key)': \(atoiError(key))")
                }
                let size = array.count + 1
                guard index < size, index >= -size else { throw invalidIndex(index) }
                array.insert(value, at: index < 0 ? index + size : index)
            }
            container = .array(array)
        default:
            break
        }
    }

    /// Removes and returns the member or element at `key`.
    static func remove(_ key: String, from container: inout JSONValue) throws(PatchError) -> JSONValue {
        switch container {
        case .object(var object):
            guard let removed = object.removeValue(forKey: key) else {
                throw PatchError(.unprocessable, "Unable to remove nonexistent key: \(key): missing value")
            }
            container = .object(object)
            return removed
        case .array(var array):
            let index = try existingIndex(key, count: array.count)
            let removed = array.remove(at: index)
            container = .array(array)
            return removed
        default:
            return .null
        }
    }

    /// Sets the member or the existing element at `key`.
    static func set(_ value: JSONValue, at key: String, in container: inout JSONValue) throws(PatchError) {
        switch container {
        case .object(var object):
            object[key] = value
            container = .object(object)
        case .array(var array):
            array[try existingIndex(key, count: array.count)] = value
            container = .array(array)
        default:
            break
        }
    }

    /// An index of an existing element; negative ones count from the end.
    private static func existingIndex(_ key: String, count: Int) throws(PatchError) -> Int {
        guard let index = Int(key) else { throw PatchError(.unprocessable, atoiError(key)) }
        guard index < count, index >= -count else { throw invalidIndex(index) }
        return index < 0 ? index + count : index
    }

    private static func invalidIndex(_ index: Int) -> PatchError {
        PatchError(.unprocessable, "Unable to access invalid index: \(index): invalid index referenced")
    }

    /// Go's `strconv.Atoi` error text for a token that is not an integer.
    private static func atoiError(_ key: String) -> String {
        let digits = key.drop { $0 == "+" || $0 == "-" }
        let tooLarge = !digits.isEmpty && key.count - digits.count <= 1 && digits.allSatisfy(\.isASCIIDigit)
        return
            "strconv.Atoi: parsing \(GoValueFormat.quoted(key)): \(tooLarge ? "value out of range" : "invalid syntax")"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
