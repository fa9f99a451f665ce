/// Why a manifest was refused before anything was sent, worded as kubectl words it
/// so that users (and scripts) see familiar messages:
/// `error parsing mysecret.yaml: error converting YAML to JSON: yaml: line 3: could not find expected ':'`.
///
/// `description` omits kubectl's leading `error: `, which the command adds when printing.
public enum ManifestError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file or directory cannot be read (`the path "x.yaml" does not exist`).
    case unreadable(path: String, reason: String)
    /// A YAML document does not parse; `line` is 1-based and counts from the top of the file.
    case yamlSyntax(source: String, line: Int?, problem: String)
    /// A JSON file does not parse.
    case jsonSyntax(source: String, line: Int, column: Int, problem: String)
    /// The document is valid YAML but not a Kubernetes object (a list or a scalar at the top).
    case notAnObject(source: String, line: Int, found: String)
    /// Client-side validation failed: missing apiVersion/kind, Secret data that is not base64.
    case invalid(source: String, problems: [String])
    /// A directory named with `-f` holds no `.json`, `.yaml` or `.yml` file.
    case noManifestFiles(path: String)
    /// Every file was empty (kubectl: `error: no objects passed to apply`).
    case noObjects(verb: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return reason.isEmpty ? "the path \"\(path)\" does not exist" : "the path \"\(path)\" cannot be read: \(reason)"
        case .yamlSyntax(let source, let line, let problem):
            let location = line.map { "line \($0): " } ?? ""
            return "error parsing \(source): error converting YAML to JSON: yaml: \(location)\(problem)"
        case .jsonSyntax(let source, let line, let column, let problem):
            return "error parsing \(source): json: line \(line), column \(column): \(problem)"
        case .notAnObject(let source, let line, let found):
            return "unable to decode \"\(source)\": line \(line): expected a Kubernetes object, found \(found)"
        case .invalid(let source, let problems):
            // One problem is printed bare, several in brackets, as Go's error aggregate does.
            let list = problems.count == 1 ? problems[0] : "[" + problems.joined(separator: ", ") + "]"
            return "error validating \"\(source)\": error validating data: \(list);"
                + " if you choose to ignore these errors, turn validation off with --validate=false"
        case .noManifestFiles(let path):
            return "error reading [\(path)]: recognized file extensions are [.json .yaml .yml]"
        case .noObjects(let verb):
            return "no objects passed to \(verb)"
        }
    }
}
