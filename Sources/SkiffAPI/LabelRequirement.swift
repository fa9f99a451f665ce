/// One clause of a label selector: `app=x`, `tier in (a,b)`, `!canary`.
public struct LabelRequirement: Hashable, Sendable, CustomStringConvertible {
    public enum Operator: String, Hashable, Sendable {
        case equals = "="
        case doubleEquals = "=="
        case notEquals = "!="
        case `in` = "in"
        case notIn = "notin"
        case exists = "exists"
        case doesNotExist = "!"
        case greaterThan = "gt"
        case lessThan = "lt"
    }

    public var key: String
    public var op: Operator
    /// Sorted and unique, as Kubernetes keeps them; one value for `=`, `!=`, `gt`, `lt`.
    public var values: [String]

    public init(key: String, op: Operator, values: [String] = []) {
        self.key = key
        self.op = op
        self.values = Array(Set(values)).sorted()
    }

    /// Kubernetes semantics: `!=` and `notin` also match objects that lack the key.
    public func matches(_ labels: [String: String]) -> Bool {
        let value = labels[key]
        switch op {
        case .equals, .doubleEquals, .in:
            return value.map(values.contains) ?? false
        case .notEquals, .notIn:
            return value.map { !values.contains($0) } ?? true
        case .exists:
            return value != nil
        case .doesNotExist:
            return value == nil
        case .greaterThan, .lessThan:
            guard let value, let actual = Int64(value), values.count == 1, let bound = Int64(values[0]) else {
                return false
            }
            return op == .greaterThan ? actual > bound : actual < bound
        }
    }

    /// The string form Kubernetes prints (`app=x`, `tier in (a,b)`, `!canary`, `n>3`).
    public var description: String {
        switch op {
        case .exists: return key
        case .doesNotExist: return "!" + key
        case .in, .notIn: return "\(key) \(op.rawValue) (\(values.joined(separator: ",")))"
        case .greaterThan: return "\(key)>\(values.first ?? "")"
        case .lessThan: return "\(key)<\(values.first ?? "")"
        case .equals, .doubleEquals, .notEquals: return key + op.rawValue + (values.first ?? "")
        }
    }
}
