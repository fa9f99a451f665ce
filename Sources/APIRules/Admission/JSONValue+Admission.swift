import SkiffAPI

/// Reading and defaulting helpers with Go's zero-value semantics, which decide when
/// Kubernetes applies a default: a nil pointer (member absent or null), or for plain
/// string and integer fields also `""` and `0`.
extension JSONValue {
    /// The member is absent or null, as a nil pointer field decodes.
    func isMissingField(_ key: String) -> Bool {
        self[key].isNull
    }

    /// The member decodes to Go's zero value: absent, null, `""`, `0` or `false`.
    func isZeroField(_ key: String) -> Bool {
        switch self[key] {
        case .null: return true
        case .string(let string): return string.isEmpty
        case .integer(let integer): return integer == 0
        case .double(let double): return double == 0
        case .bool(let bool): return !bool
        case .array, .object: return false
        }
    }

    /// Sets `key` when it is absent or null (a pointer field's default).
    mutating func defaultIfMissing(_ key: String, _ value: JSONValue) {
        if isMissingField(key) { self[key] = value }
    }

    /// Sets `key` when it holds Go's zero value (a plain field's default).
    mutating func defaultIfZero(_ key: String, _ value: JSONValue) {
        if isZeroField(key) { self[key] = value }
    }

    /// Applies `body` to every element of the list at `key`; absent or non-list members are left alone.
    mutating func updateEach(_ key: String, _ body: (inout JSONValue) -> Void) {
        guard var list = self[key].arrayValue else { return }
        for index in list.indices { body(&list[index]) }
        self[key] = .array(list)
    }

    /// Applies `body` to the object at `key` when it is an object.
    mutating func updateObject(_ key: String, _ body: (inout JSONValue) -> Void) {
        guard self[key].objectValue != nil else { return }
        var member = self[key]
        body(&member)
        self[key] = member
    }

    /// The string at `key`, `""` when absent or not a string (Go's zero value).
    func stringField(_ key: String) -> String {
        self[key].stringValue ?? ""
    }

    /// The list at `key`, empty when absent or not a list.
    func listField(_ key: String) -> [JSONValue] {
        self[key].arrayValue ?? []
    }

    /// The string map at `key` (labels, selectors), skipping non-string members.
    func stringMapField(_ key: String) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in self[key].objectValue ?? [:] {
            if let string = value.stringValue { result[name] = string }
        }
        return result
    }

    /// This value with empty lists and objects and nulls removed, recursively, so that two
    /// objects compare as apimachinery's `Semantic.DeepEqual` does (nil and empty are equal).
    var semanticallyNormalized: JSONValue {
        switch self {
        case .object(let object):
            var result: [String: JSONValue] = [:]
            for (key, value) in object {
                let normalized = value.semanticallyNormalized
                switch normalized {
                case .null: continue
                case .array(let array) where array.isEmpty: continue
                case .object(let members) where members.isEmpty: continue
                default: result[key] = normalized
                }
            }
            return .object(result)
        case .array(let array):
            return .array(array.map(\.semanticallyNormalized))
        case .double(let double):
            if let exact = Int64(exactly: double) { return .integer(exact) }
            return self
        default:
            return self
        }
    }
}
