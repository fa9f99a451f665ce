/// A JSON document as the API server stores it: every field a client sent, known or not.
///
/// Kubernetes objects are kept as `JSONValue` rather than typed structs so that fields
/// Skiff does not model (annotations such as `kubectl.kubernetes.io/last-applied-configuration`,
/// newer API fields, `$` patch directives) survive a read-modify-write unchanged.
/// Integers stay `Int64` so that `replicas: 3` is never written back as `3.0`.
/// Objects are unordered dictionaries and are encoded with sorted keys, as Go's
/// `encoding/json` encodes the `map[string]interface{}` of an unstructured object.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in 64 bits.
    case integer(Int64)
    /// Any other number.
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// An empty object, the usual starting point for building one.
    public static let emptyObject = JSONValue.object([:])

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer, also for a double with no fractional part (`3.0` as clients may send it).
    public var int64Value: Int64? {
        switch self {
        case .integer(let value): return value
        case .double(let value):
            guard value.rounded() == value, let exact = Int64(exactly: value) else { return nil }
            return exact
        default: return nil
        }
    }

    /// Any number as a double (integers may lose precision beyond 2^53).
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// An object whose values are all strings (labels, annotations, selectors), else nil.
    public var stringMapValue: [String: String]? {
        guard let object = objectValue else { return nil }
        var result: [String: String] = [:]
        for (key, value) in object {
            guard let string = value.stringValue else { return nil }
            result[key] = string
        }
        return result
    }

    /// Builds an object of strings, as labels and annotations are written.
    public init(stringMap: [String: String]) {
        self = .object(stringMap.mapValues { .string($0) })
    }

    /// This value with every `null` object member removed, recursively.
    ///
    /// The API server drops null fields before storing (kubectl's `rollout undo`
    /// relies on it: a stored `"creationTimestamp": null` would change the template hash).
    public func removingNullFields() -> JSONValue {
        switch self {
        case .object(let object):
            return .object(object.filter { !$0.value.isNull }.mapValues { $0.removingNullFields() })
        case .array(let array):
            return .array(array.map { $0.removingNullFields() })
        default:
            return self
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object: [String: JSONValue] = [:]
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}
