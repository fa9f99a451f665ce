import Foundation

/// A field selector (`metadata.name=x,spec.nodeName!=`): equality tests on fields
/// that each kind exposes (`ResourceKind.fieldSelectorPaths`), as `?fieldSelector=`
/// in lists and watches (`rollout status`, `describe pod` events) uses them.
public struct FieldSelector: Hashable, Sendable, CustomStringConvertible {
    public struct Requirement: Hashable, Sendable, CustomStringConvertible {
        public enum Operator: String, Hashable, Sendable {
            case equals = "="
            case doubleEquals = "=="
            case notEquals = "!="
        }

        /// The field label (`spec.nodeName`), not the JSON path.
        public var field: String
        public var op: Operator
        public var value: String

        public init(field: String, op: Operator, value: String) {
            self.field = field
            self.op = op
            self.value = value
        }

        public var description: String { field + op.rawValue + FieldSelector.escape(value) }
    }

    public var requirements: [Requirement]

    public static let everything = FieldSelector(requirements: [])

    public init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    /// Parses the query form; `\,`, `\=` and `\\` escape those characters in values.
    public init(parsing text: String) throws(SelectorError) {
        var requirements: [Requirement] = []
        for term in Self.splitUnescaped(text, on: ",") where !term.isEmpty {
            guard let (field, op, rawValue) = Self.splitTerm(term) else {
                throw SelectorError(selector: text, detail: "invalid field selector: can't understand '\(term)'")
            }
            guard let value = Self.unescape(rawValue) else {
                throw SelectorError(selector: text, detail: "invalid escape sequence in field selector value '\(rawValue)'")
            }
            requirements.append(Requirement(field: field, op: op, value: value))
        }
        self.init(requirements: requirements)
    }

    public var isEverything: Bool { requirements.isEmpty }

    /// The value a `field=value` term demands, if any (`metadata.name` lets a watch skip other objects).
    public func exactValue(for field: String) -> String? {
        requirements.first { $0.field == field && $0.op != .notEquals }?.value
    }

    /// Field labels of this selector that `kind` does not support; the API server answers
    /// 400 `field label not supported: <label>` for the first.
    public func unsupportedFields(for kind: ResourceKind) -> [String] {
        let paths = kind.fieldSelectorPaths
        return requirements.map(\.field).filter { paths[$0] == nil }
    }

    /// Whether `object` satisfies every term, reading fields through `kind`'s field map.
    /// Missing fields read as the empty string (`spec.nodeName=` selects unscheduled pods);
    /// booleans and numbers compare in their JSON text (`spec.unschedulable=true`).
    /// An unsupported field never matches.
    public func matches(_ object: JSONValue, kind: ResourceKind) -> Bool {
        matches(object, fieldPaths: kind.fieldSelectorPaths)
    }

    public func matches(_ object: JSONValue, fieldPaths: [String: [String]]) -> Bool {
        requirements.allSatisfy { requirement in
            guard let path = fieldPaths[requirement.field] else { return false }
            let actual = Self.text(of: object[path: path])
            return requirement.op == .notEquals ? actual != requirement.value : actual == requirement.value
        }
    }

    public var description: String { requirements.map(\.description).joined(separator: ",") }

    static func text(of value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .bool(let bool): return bool ? "true" : "false"
        case .integer(let integer): return String(integer)
        case .double(let double): return String(double)
        case .string(let string): return string
        case .array, .object: return ""
        }
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: ",", with: "\\,")
            .replacingOccurrences(of: "=", with: "\\=")
    }

    /// Splits on `separator` where it is not escaped with a backslash; escapes are kept.
    static func splitUnescaped(_ text: String, on separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                current.append(character)
                escaped = true
            } else if character == separator {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    /// Finds the first unescaped `!=`, `==` or `=` in a term.
    static func splitTerm(_ term: String) -> (String, Requirement.Operator, String)? {
        let characters = Array(term)
        var index = 0
        while index < characters.count {
            if characters[index] == "\\" {
                index += 2
                continue
            }
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            let field = String(characters[..<index])
            if characters[index] == "!" && next == "=" {
                return (field, .notEquals, String(characters[(index + 2)...]))
            }
            if characters[index] == "=" && next == "=" {
                return (field, .doubleEquals, String(characters[(index + 2)...]))
            }
            if characters[index] == "=" {
                return (field, .equals, String(characters[(index + 1)...]))
            }
            index += 1
        }
        return nil
    }

    static func unescape(_ value: String) -> String? {
        var result = ""
        var escaped = false
        for character in value {
            if escaped {
                guard character == "\\" || character == "," || character == "=" else { return nil }
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return escaped ? nil : result
    }
}
