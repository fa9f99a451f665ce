import SkiffAPI
import Yams

/// Converts a kubeconfig between YAML text and `JSONValue`.
///
/// The whole document is kept as `JSONValue` (Yams' `Node` is not `Sendable`) so that
/// rewriting the file after `use-context` keeps every field Skiff does not model
/// (`preferences`, `extensions`, exec plugins). Keys come back sorted, as kubectl
/// writes them.
enum KubeconfigYAML {
    /// The document in `text`; an empty document is an empty object, as kubectl treats an
    /// empty kubeconfig. Errors carry libyaml's line and column.
    static func parse(_ text: String) throws(KubeconfigShapeError) -> JSONValue {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw KubeconfigShapeError(path: "", problem: syntaxProblem(error), isSyntax: true)
        }
        guard let root else { return .emptyObject }
        return try value(root, at: "")
    }

    /// libyaml's complaint on one line, as Go's YAML errors read:
    /// `yaml: line 3: mapping values are not allowed in this context`.
    private static func syntaxProblem(_ error: any Error) -> String {
        guard let error = error as? YamlError else { return "yaml: \(error)" }
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return "yaml: line \(mark.line), column \(mark.column): \(problem)"
        case .reader(let problem, _, _, _):
            return "yaml: \(problem)"
        case .duplicatedKeysInMapping(let duplicates, let context):
            return "yaml: line \(context.mark.line): duplicate key \(duplicates.joined(separator: ", "))"
        default:
            return "yaml: \(error)"
        }
    }

    /// The document as block-style YAML.
    static func render(_ document: JSONValue) throws -> String {
        try Yams.serialize(node: node(document), sortKeys: true)
    }

    private static func value(_ node: Node, at path: String) throws(KubeconfigShapeError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case .int: return node.int.map { .integer(Int64($0)) } ?? .string(scalar.string)
            case .float: return node.float.map(JSONValue.double) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            for (index, element) in sequence.enumerated() {
                elements.append(try value(element, at: "\(path)[\(index)]"))
            }
            return .array(elements)
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, member) in mapping {
                guard let name = key.string else {
                    throw KubeconfigShapeError(path: path, problem: "has a key that is not a string")
                }
                object[name] = try value(member, at: path.isEmpty ? name : "\(path).\(name)")
            }
            return .object(object)
        case .alias:
            throw KubeconfigShapeError(path: path, problem: "uses a YAML alias, which kubeconfigs do not support")
        }
    }

    private static func node(_ value: JSONValue) -> Node {
        switch value {
        case .null: return Node("null", Tag(.null))
        case .bool(let flag): return Node(flag ? "true" : "false", Tag(.bool))
        case .integer(let number): return Node(String(number), Tag(.int))
        case .double(let number): return Node(String(number), Tag(.float))
        case .string(let text): return .scalar(text.represented())
        case .array(let elements): return .sequence(Node.Sequence(elements.map(node)))
        case .object(let members):
            return .mapping(
                Node.Mapping(members.keys.sorted().map { (.scalar($0.represented()), node(members[$0] ?? .null)) }))
        }
    }
}

/// A kubeconfig that is not YAML, or is YAML but not shaped like a kubeconfig.
struct KubeconfigShapeError: Error, CustomStringConvertible {
    /// Where, as `clusters[0].cluster.server`; empty for the document itself.
    var path: String
    var problem: String
    /// The text is not YAML at all; `problem` is then the whole message.
    var isSyntax = false

    var description: String {
        if isSyntax { return problem }
        return path.isEmpty ? "the document \(problem)" : "\(path) \(problem)"
    }
}
