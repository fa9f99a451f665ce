/// One validation failure at a field, rendered exactly as apimachinery's `field.Error`
/// (`spec.replicas: Invalid value: -1: must be greater than or equal to 0`), because
/// kubectl prints these messages to users as they are.
public struct FieldError: Hashable, Sendable, Error, CustomStringConvertible {
    /// The kinds of failure, named in messages and, as `FieldValue…`, in Status causes.
    public enum Kind: String, Hashable, Sendable {
        case notFound = "FieldValueNotFound"
        case required = "FieldValueRequired"
        case duplicate = "FieldValueDuplicate"
        case invalid = "FieldValueInvalid"
        case notSupported = "FieldValueNotSupported"
        case forbidden = "FieldValueForbidden"
        case tooLong = "FieldValueTooLong"
        case tooMany = "FieldValueTooMany"
        case `internal` = "InternalError"
        case typeInvalid = "FieldValueTypeInvalid"

        /// The words Kubernetes writes after the field path.
        public var phrase: String {
            switch self {
            case .notFound: return "Not found"
            case .required: return "Required value"
            case .duplicate: return "Duplicate value"
            case .invalid: return "Invalid value"
            case .notSupported: return "Unsupported value"
            case .forbidden: return "Forbidden"
            case .tooLong: return "Too long"
            case .tooMany: return "Too many"
            case .internal: return "Internal error"
            case .typeInvalid: return "Invalid value"
            }
        }
    }

    public var kind: Kind
    /// Dotted path of the field (`spec.template.metadata.labels`, `spec.ports[0].port`).
    public var field: String
    /// The offending value; `nil` for kinds that do not print one (Required, Forbidden, ...).
    public var badValue: JSONValue?
    public var detail: String

    public init(_ kind: Kind, field: String, badValue: JSONValue? = nil, detail: String = "") {
        self.kind = kind
        self.field = field
        self.badValue = badValue
        self.detail = detail
    }

    public static func invalid(_ field: String, _ value: JSONValue, _ detail: String) -> FieldError {
        FieldError(.invalid, field: field, badValue: value, detail: detail)
    }

    public static func required(_ field: String, _ detail: String = "") -> FieldError {
        FieldError(.required, field: field, detail: detail)
    }

    public static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(.forbidden, field: field, detail: detail)
    }

    public static func duplicate(_ field: String, _ value: JSONValue) -> FieldError {
        FieldError(.duplicate, field: field, badValue: value)
    }

    /// `Unsupported value: "x": supported values: "a", "b"`.
    public static func notSupported(_ field: String, _ value: JSONValue, supported: [String]) -> FieldError {
        let list = supported.map { GoValueFormat.quoted($0) }.joined(separator: ", ")
        return FieldError(
            .notSupported, field: field, badValue: value, detail: supported.isEmpty ? "" : "supported values: \(list)")
    }

    public static func tooLong(_ field: String, maxLength: Int) -> FieldError {
        FieldError(.tooLong, field: field, detail: "may not be more than \(maxLength) bytes")
    }

    /// The message without the field path, as Status `causes[].message` carries it.
    public var body: String {
        var text = kind.phrase
        switch kind {
        case .required, .forbidden, .tooLong, .internal:
            break
        default:
            text += ": " + GoValueFormat.describe(badValue ?? .null)
        }
        if !detail.isEmpty { text += ": " + detail }
        return text
    }

    public var description: String { "\(field): \(body)" }
}

/// Renders values as Go's `%#v` does in apimachinery messages, so that messages match
/// the real API server's: `"x"`, `3`, `map[string]string{"app":"x"}`.
enum GoValueFormat {
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let bool): return bool ? "true" : "false"
        case .integer(let integer): return String(integer)
        case .double(let double): return Int64(exactly: double).map(String.init) ?? String(double)
        case .string(let string): return quoted(string)
        case .array(let array):
            if array.allSatisfy({ $0.stringValue != nil }) {
                return "[]string{" + array.map(describe).joined(separator: ", ") + "}"
            }
            return "[]interface {}{" + array.map(describe).joined(separator: ", ") + "}"
        case .object(let object):
            let members = object.keys.sorted().map { "\(quoted($0)):\(describe(object[$0] ?? .null))" }
            let type = object.values.allSatisfy({ $0.stringValue != nil }) ? "map[string]string" : "map[string]interface {}"
            return type + "{" + members.joined(separator: ", ") + "}"
        }
    }

    /// A Go double-quoted string literal (`%q`).
    static func quoted(_ string: String) -> String {
        GoQuote.quote(string)
    }
}
