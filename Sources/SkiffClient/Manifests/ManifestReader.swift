import Foundation
import SkiffAPI
import Yams

/// Reads the objects in one manifest's text: a stream of YAML documents separated by `---`,
/// or JSON (text starting with `{`, as kubectl decides), with `List` objects expanded into
/// their items. A file is all or nothing: the first broken document refuses the whole file.
public enum ManifestReader {
    /// Parses `text`, which came from `source` (a path as the user wrote it, or `STDIN`).
    /// With `validate`, objects must have apiVersion and kind and Secret data must be base64.
    public static func documents(in text: String, source: String, validate: Bool = true) throws(ManifestError)
        -> [ManifestDocument]
    {
        let roots = isJSON(text) ? try jsonRoots(text, source: source) : try yamlRoots(text, source: source)
        var documents: [ManifestDocument] = []
        for root in roots {
            guard case .object = root.value else {
                throw .notAnObject(source: source, line: root.line, found: describeKind(root.value))
            }
            documents += expandList(root, source: source)
        }
        var problems: [String] = []
        for document in documents {
            if validate {
                problems += ManifestValidation.problems(in: document.object)
            } else if document.object["kind"].stringValue?.isEmpty ?? true {
                problems.append("Object 'Kind' is missing in '\(document.object.serializedString())'")
            }
        }
        if !problems.isEmpty { throw .invalid(source: source, problems: problems) }
        return documents
    }

    /// One top-level value and the line it starts on; `itemLines` holds the lines of a
    /// `List`'s items when the source could tell them.
    struct Root {
        var value: JSONValue
        var line: Int
        var itemLines: [Int] = []
    }

    /// kubectl's YAML-or-JSON decoder treats input as JSON when it starts with `{`.
    static func isJSON(_ text: String) -> Bool {
        text.unicodeScalars.first { !$0.properties.isWhitespace && $0 != "\u{FEFF}" } == "{"
    }

    static func yamlRoots(_ text: String, source: String) throws(ManifestError) -> [Root] {
        var roots: [Root] = []
        do {
            let parser = try Parser(yaml: text)
            while let node = try parser.nextRoot() {
                if case .scalar(let scalar) = node, scalar.tagName == .implicit, scalar.style == .plain,
                    YAMLScalarResolution.resolve(scalar.string) == .null
                {
                    continue  // an empty document (`---` twice, or only comments)
                }
                var converter = YAMLNodeConverter()
                let value: JSONValue
                do {
                    value = try converter.convert(node)
                } catch {
                    throw ManifestError.yamlSyntax(source: source, line: error.line, problem: error.problem)
                }
                roots.append(Root(value: value, line: node.mark?.line ?? 1, itemLines: itemLines(of: node)))
            }
        } catch let error as ManifestError {
            throw error
        } catch let error as YamlError {
            throw yamlError(error, source: source)
        } catch {
            throw .yamlSyntax(source: source, line: nil, problem: "\(error)")
        }
        return roots
    }

    /// The lines of `items[*]` in a root mapping, so each expanded List item keeps its own line.
    private static func itemLines(of node: Node) -> [Int] {
        guard case .mapping(let mapping) = node else { return [] }
        for (key, value) in mapping where key.string == "items" {
            guard case .sequence(let sequence) = value else { return [] }
            return sequence.map { $0.mark?.line ?? 1 }
        }
        return []
    }

    /// Yams' parse errors as go-yaml words them: `yaml: line 3: could not find expected ':'`.
    private static func yamlError(_ error: YamlError, source: String) -> ManifestError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return .yamlSyntax(source: source, line: mark.line, problem: problem)
        case .composer(_, let problem, let mark, _):
            let text = problem == "found undefined alias" ? "unknown anchor referenced" : problem
            return .yamlSyntax(source: source, line: mark.line, problem: text)
        case .reader(let problem, let offset, _, let yaml):
            let line = offset.map { offset in yaml.prefix(offset).reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }
            return .yamlSyntax(source: source, line: line, problem: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map(GoQuote.quote).joined(separator: ", ")
            return .yamlSyntax(
                source: source, line: context.mark.line,
                problem: "mapping key \(keys) appears more than once in this mapping")
        case .dataCouldNotBeDecoded:
            return .yamlSyntax(source: source, line: nil, problem: "invalid leading UTF-8 octet")
        default:
            return .yamlSyntax(source: source, line: nil, problem: "\(error)")
        }
    }

    /// A JSON file may hold several objects one after another, as kubectl's stream decoder reads them.
    static func jsonRoots(_ text: String, source: String) throws(ManifestError) -> [Root] {
        let bytes = Array(text.utf8)
        var roots: [Root] = []
        var start = 0
        while true {
            while start < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[start]) { start += 1 }
            if start == bytes.count { return roots }
            let slice = Array(bytes[start...])
            do {
                roots.append(Root(value: try JSONValue(jsonBytes: slice), line: lineNumber(bytes, at: start)))
                return roots
            } catch where error.message == "unexpected data after the top-level value" {
                // Parse just the first value; the rest is the next object in the stream.
                let end = start + error.offset
                do {
                    let value = try JSONValue(jsonBytes: Array(bytes[start..<end]))
                    roots.append(Root(value: value, line: lineNumber(bytes, at: start)))
                } catch {
                    throw jsonError(bytes, offset: start + error.offset, problem: error.message, source: source)
                }
                start = end
            } catch {
                throw jsonError(bytes, offset: start + error.offset, problem: error.message, source: source)
            }
        }
    }

    private static func jsonError(_ bytes: [UInt8], offset: Int, problem: String, source: String) -> ManifestError {
        let clamped = min(offset, bytes.count)
        let lineStart = bytes[..<clamped].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        return .jsonSyntax(
            source: source, line: lineNumber(bytes, at: clamped), column: clamped - lineStart + 1, problem: problem)
    }

    private static func lineNumber(_ bytes: [UInt8], at offset: Int) -> Int {
        bytes[..<min(offset, bytes.count)].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    }

    /// `kind: List` (and typed lists such as `DeploymentList`) stand for their items; items
    /// without apiVersion and kind take them from the list, as kubectl's unstructured decoder does.
    private static func expandList(_ root: Root, source: String) -> [ManifestDocument] {
        let kind = root.value["kind"].stringValue ?? ""
        guard kind.hasSuffix("List"), let items = root.value["items"].arrayValue else {
            return [ManifestDocument(object: root.value, source: source, line: root.line)]
        }
        let itemKind = String(kind.dropLast(4))
        return items.enumerated().map { index, item in
            var object = item
            if object["kind"].isNull, object["apiVersion"].isNull, !itemKind.isEmpty {
                object["kind"] = .string(itemKind)
                object["apiVersion"] = root.value["apiVersion"]
            }
            let line = index < root.itemLines.count ? root.itemLines[index] : root.line
            return ManifestDocument(object: object, source: source, line: line)
        }
    }

    private static func describeKind(_ value: JSONValue) -> String {
        switch value {
        case .array: return "a list"
        case .string: return "a string"
        case .integer, .double: return "a number"
        case .bool: return "a boolean"
        case .null: return "nothing"
        case .object: return "an object"
        }
    }
}
