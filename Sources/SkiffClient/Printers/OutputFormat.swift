/// What `-o` asked for, parsed as kubectl parses it.
public enum OutputFormat: Sendable, Equatable {
    /// The server's table (no `-o`).
    case table
    /// `-o wide`: the table with priority-1 columns.
    case wide
    case yaml
    case json
    /// `-o name`: `deployment.apps/notepad`.
    case name
    case jsonPath(JSONPathTemplate)
    /// `-o custom-columns=NAME:.metadata.name,...`.
    case customColumns(CustomColumns)

    /// Parses `-o VALUE`; nil (no flag) means the table. `jsonpath-file` and
    /// `custom-columns-file` read their template from a file.
    public init(_ value: String?, readFile: (String) throws -> String = { _ in "" }) throws(OutputFormatError) {
        guard let value, !value.isEmpty else {
            self = .table
            return
        }
        let (kind, argument) = Self.split(value)
        do {
            switch kind {
            case "wide": self = .wide
            case "yaml": self = .yaml
            case "json": self = .json
            case "name": self = .name
            case "jsonpath", "jsonpath-as-json":
                guard let argument, !argument.isEmpty else { throw OutputFormatError.missingTemplate(kind) }
                self = .jsonPath(try JSONPathTemplate(argument))
            case "jsonpath-file":
                guard let argument, !argument.isEmpty else { throw OutputFormatError.missingTemplate(kind) }
                self = .jsonPath(try JSONPathTemplate(try Self.read(argument, with: readFile)))
            case "custom-columns":
                guard let argument, !argument.isEmpty else { throw OutputFormatError.missingTemplate(kind) }
                self = .customColumns(try CustomColumns(specification: argument))
            case "custom-columns-file":
                guard let argument, !argument.isEmpty else { throw OutputFormatError.missingTemplate(kind) }
                self = .customColumns(try CustomColumns(file: try Self.read(argument, with: readFile)))
            case "go-template", "go-template-file", "template", "templatefile":
                throw OutputFormatError.template(
                    "\(kind) output is not supported by skiff; -o jsonpath=… or -o custom-columns=… give the same fields")
            default:
                throw OutputFormatError.unsupported(value)
            }
        } catch let error as OutputFormatError {
            throw error
        } catch let error as JSONPathError {
            throw OutputFormatError.template(kind == "custom-columns" ? error.description : "error parsing jsonpath \(argument ?? ""), \(error)")
        } catch {
            throw OutputFormatError.template("\(error)")
        }
    }

    /// Whether `get` should ask the server for a Table.
    public var wantsTable: Bool {
        switch self {
        case .table, .wide: return true
        default: return false
        }
    }

    /// Formats that print kubectl's `List` wrapper even when nothing was found.
    public var printsEmptyList: Bool {
        switch self {
        case .yaml, .json, .jsonPath: return true
        default: return false
        }
    }

    private static func split(_ value: String) -> (String, String?) {
        guard let equals = value.firstIndex(of: "=") else { return (value, nil) }
        return (String(value[..<equals]), String(value[value.index(after: equals)...]))
    }

    private static func read(_ path: String, with readFile: (String) throws -> String) throws(OutputFormatError) -> String {
        do {
            return try readFile(path)
        } catch {
            throw .template("error reading template \(path), \(error)")
        }
    }
}

/// `-o` values kubectl would refuse, in its words.
public enum OutputFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    case unsupported(String)
    case missingTemplate(String)
    case template(String)

    public var description: String {
        switch self {
        case .unsupported(let value):
            return "unable to match a printer suitable for the output format \"\(value)\", allowed formats are: "
                + "custom-columns,custom-columns-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,wide,yaml"
        case .missingTemplate(let kind):
            return kind.hasPrefix("custom-columns")
                ? "custom-columns format specified but no custom columns given"
                : "template format specified but no template given"
        case .template(let message):
            return message
        }
    }
}
