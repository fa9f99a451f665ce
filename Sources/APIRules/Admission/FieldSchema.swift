import SkiffAPI

extension Admission {
    /// The member names of a Kubernetes API type, as much as strict decoding needs: which
    /// members an object may have, and the types of those that are themselves objects or lists
    /// of objects. Scalars, free-form maps (labels, data) and types Skiff leaves open
    /// (affinity, security contexts, status) are `unchecked`.
    indirect enum FieldSchema: Sendable {
        case unchecked
        case object([String: FieldSchema])
        case list(FieldSchema)

        /// A struct whose `scalars` hold plain values and whose `nested` members have their own schema.
        static func fields(_ scalars: [String], _ nested: [String: FieldSchema] = [:]) -> FieldSchema {
            var members = nested
            for name in scalars where members[name] == nil { members[name] = .unchecked }
            return .object(members)
        }

        /// This struct with more members.
        func adding(_ scalars: [String], _ nested: [String: FieldSchema] = [:]) -> FieldSchema {
            guard case .object(var members) = self else { return self }
            for (name, schema) in nested { members[name] = schema }
            for name in scalars where members[name] == nil { members[name] = .unchecked }
            return .object(members)
        }

        /// Appends the path of every member `value` has that this schema does not define. A member
        /// that is unknown is not looked into, as Kubernetes reports only the outermost one.
        func collectUnknown(in value: JSONValue, at path: FieldPath, into found: inout [String]) {
            switch (self, value) {
            case (.object(let members), .object(let object)):
                for key in object.keys.sorted() {
                    let memberPath = path.child(key)
                    guard let schema = members[key] else {
                        found.append(memberPath.description)
                        continue
                    }
                    if let member = object[key] { schema.collectUnknown(in: member, at: memberPath, into: &found) }
                }
            case (.list(let element), .array(let array)):
                for (index, item) in array.enumerated() {
                    element.collectUnknown(in: item, at: path.index(index), into: &found)
                }
            default:
                // Scalars, open maps, and values of the wrong type (a decoding error, not an unknown field).
                break
            }
        }
    }
}
