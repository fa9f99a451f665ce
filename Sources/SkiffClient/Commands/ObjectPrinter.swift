import SkiffAPI

/// `-o yaml|json|name|jsonpath|custom-columns` for objects fetched as plain JSON: one object
/// prints as itself, several as kubectl's `kind: List` wrapper.
public enum ObjectPrinter {
    /// The `List` kubectl prints for several objects.
    public static func list(_ items: [JSONValue]) -> JSONValue {
        ["apiVersion": "v1", "items": .array(items), "kind": "List", "metadata": ["resourceVersion": ""]]
    }

    /// The text for `objects`; `single` when the arguments named exactly one object.
    public static func render(
        _ objects: [JSONValue], single: Bool, format: OutputFormat, registry: ResourceRegistry, noHeaders: Bool = false
    ) throws(CtlError) -> String {
        let subject = single && objects.count == 1 ? objects[0] : list(objects)
        switch format {
        case .yaml:
            return YAMLPrinter.render(subject)
        case .json:
            return GoJSON.indented(subject) + "\n"
        case .name:
            return objects.map { name(of: $0, registry: registry) + "\n" }.joined()
        case .jsonPath(let template):
            do {
                return try template.render(subject)
            } catch {
                throw .message(
                    "error executing jsonpath \(GoQuote.quote(template.source)): Error executing template: \(error). "
                        + "Printing more information for debugging the template:\n\ttemplate was:\n\t\t\(template.source)\n")
            }
        case .customColumns(let columns):
            do {
                return try columns.render(objects, noHeaders: noHeaders)
            } catch {
                throw .message("\(error)")
            }
        case .table, .wide:
            return ""
        }
    }

    /// `deployment.apps/notepad`.
    public static func name(of object: JSONValue, registry: ResourceRegistry) -> String {
        let kind = registry.resource(
            apiVersion: object["apiVersion"].stringValue ?? "", kind: object["kind"].stringValue ?? "")
        let prefix = kind?.displayKind ?? (object["kind"].stringValue ?? "").lowercased()
        return "\(prefix)/\(object["metadata"]["name"].stringValue ?? "")"
    }
}
