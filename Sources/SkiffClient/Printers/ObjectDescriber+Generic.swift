import SkiffAPI

/// kubectl's generic describer, for kinds without a dedicated section.
extension ObjectDescriber {
    /// kubectl's generic describer: name, namespace, labels, annotations, then every other
    /// field with humanized names (`Creation Timestamp`), nested by indentation.
    static func generic(_ object: JSONValue, into w: inout DescribeWriter) {
        header(object, into: &w)
        w.labels("Labels", object["metadata"]["labels"].stringMapValue ?? [:])
        w.annotations("Annotations", object["metadata"]["annotations"].stringMapValue ?? [:])
        let skip: Set<String> = [
            ".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels", ".metadata.annotations",
        ]
        unstructured(object.objectValue ?? [:], level: 0, prefix: "", skip: skip, into: &w)
    }

    static func unstructured(
        _ content: [String: JSONValue], level: Int, prefix: String, skip: Set<String>, into w: inout DescribeWriter
    ) {
        for field in content.keys.sorted() {
            let path = "\(prefix).\(field)"
            if skip.contains(path) { continue }
            let value = content[field] ?? .null
            switch value {
            case .object(let members):
                w.write(level, "\(smartLabel(field)):\n")
                unstructured(members, level: level + 1, prefix: path, skip: skip, into: &w)
            case .array(let elements):
                w.write(level, "\(smartLabel(field)):\n")
                for element in elements {
                    if case .object(let members) = element {
                        unstructured(members, level: level + 1, prefix: path, skip: skip, into: &w)
                    } else {
                        w.write(level + 1, "\(GoSprint.format(element))\n")
                    }
                }
            default:
                w.write(level, "\(smartLabel(field)):\t\(GoSprint.format(value))\n")
            }
        }
    }

    /// `creationTimestamp` → `Creation Timestamp`, `apiVersion` → `API Version`.
    static func smartLabel(_ field: String) -> String {
        guard field.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "-" }) else { return field }
        var parts: [String] = []
        var current = ""
        var previousLower = false
        for character in field {
            if character.isUppercase && previousLower {
                parts.append(current)
                current = ""
            }
            current.append(character)
            previousLower = character.isLowercase
        }
        if !current.isEmpty { parts.append(current) }
        let acronyms: Set<String> = ["API", "URL", "UID", "OSB", "GUID"]
        return parts.map { part in
            acronyms.contains(part.uppercased()) ? part.uppercased() : part.prefix(1).uppercased() + part.dropFirst()
        }.joined(separator: " ")
    }
}
