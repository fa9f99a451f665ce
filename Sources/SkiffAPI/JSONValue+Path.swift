extension JSONValue {
    /// The member `key` of an object; `.null` when absent or when this is not an object,
    /// so lookups chain (`object["metadata"]["name"]`) the way optional fields read in Go.
    /// Setting on a non-object turns it into an object; setting `.null` removes the member.
    public subscript(key: String) -> JSONValue {
        get {
            guard case .object(let object) = self else { return .null }
            return object[key] ?? .null
        }
        set {
            var object = objectValue ?? [:]
            if newValue.isNull {
                object.removeValue(forKey: key)
            } else {
                object[key] = newValue
            }
            self = .object(object)
        }
    }

    /// The element at `index` of an array; `.null` when out of range or not an array.
    public subscript(index: Int) -> JSONValue {
        guard case .array(let array) = self, array.indices.contains(index) else { return .null }
        return array[index]
    }

    /// The value at a path of object keys (`["spec", "template", "metadata"]`);
    /// setting creates the objects on the way and removes the member when set to `.null`.
    public subscript(path path: [String]) -> JSONValue {
        get {
            var current = self
            for key in path { current = current[key] }
            return current
        }
        set {
            guard let first = path.first else {
                self = newValue
                return
            }
            var child = self[first]
            child[path: Array(path.dropFirst())] = newValue
            if path.count > 1, child.objectValue?.isEmpty == true, newValue.isNull, self[first].isNull {
                return  // removing below a missing member must not create empty parents
            }
            self[first] = child
        }
    }

    /// The value at a dotted path (`"metadata.name"`); keys containing dots need `subscript(path:)`.
    public subscript(dotted dottedPath: String) -> JSONValue {
        get { self[path: dottedPath.split(separator: ".").map(String.init)] }
        set { self[path: dottedPath.split(separator: ".").map(String.init)] = newValue }
    }
}
