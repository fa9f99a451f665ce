/// A kubectl JSONPath template (`-o jsonpath=...`), parsed with the grammar of
/// `k8s.io/client-go/util/jsonpath`: literal text, and actions in braces holding fields
/// (`.metadata.name`, `.a\.b`), `[*]`, `[n]`, slices, unions, `['key']`, `..` recursive
/// descent, `.*`, filters `[?(@.type=="Ready")]`, quoted strings (`{"\n"}`), numbers,
/// booleans, and the `range`/`end` keywords.
public struct JSONPathTemplate: Sendable, Equatable {
    /// One step of an action; each maps the current list of values to a new list.
    indirect enum Step: Sendable, Equatable {
        case field(String)
        case wildcard
        case recursive
        case slice(start: Int?, end: Int?, step: Int?, single: Bool)
        case union([[Step]])
        case filter(left: [Step], op: String, right: [Step])
        case exists([Step])
        case text(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        case range
        case end
    }

    /// Literal text and actions, in order.
    enum Part: Sendable, Equatable {
        case text(String)
        case action([Step])
    }

    let parts: [Part]
    /// The template as written, for error messages.
    public let source: String

    public init(_ source: String) throws(JSONPathError) {
        self.source = source
        var parser = JSONPathParser(Array(source.unicodeScalars))
        parts = try parser.parseTemplate()
    }

    /// kubectl's `RelaxedJSONPathExpression` for custom columns and `--sort-by`:
    /// `.metadata.name`, `metadata.name` and `{.metadata.name}` all mean `{.metadata.name}`.
    public static func relaxed(_ expression: String) throws(JSONPathError) -> JSONPathTemplate {
        var body = Substring(expression)
        if body.hasPrefix("{") {
            guard body.hasSuffix("}") else {
                throw .parse("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'")
            }
            body = body.dropFirst().dropLast()
        }
        guard !body.contains("{"), !body.contains("}") else {
            throw .parse("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'")
        }
        if !body.hasPrefix(".") { body = "." + body }
        return try JSONPathTemplate("{" + body + "}")
    }
}

/// A template that does not parse, or fails on the data, worded as client-go words it.
public enum JSONPathError: Error, Equatable, Sendable, CustomStringConvertible {
    case parse(String)
    case execution(String)

    public var description: String {
        switch self {
        case .parse(let message), .execution(let message): return message
        }
    }
}
