import SkiffAPI

/// `label` and `annotate`: parse `key=value` and `key-` arguments, check `--overwrite`, and
/// build the JSON merge patch kubectl sends (`{"metadata":{"labels":{"k":"v","gone":null}}}`).
public struct MetadataEdit: Sendable, Equatable {
    /// Which map is edited.
    public enum Field: String, Sendable {
        case labels
        case annotations

        /// kubectl's verb in output lines (`labeled`, `annotated`).
        var pastTense: String { self == .labels ? "labeled" : "annotated" }
        var fieldManager: String { self == .labels ? "kubectl-label" : "kubectl-annotate" }
    }

    public var field: Field
    public var set: [(key: String, value: String)]
    public var remove: [String]

    public static func == (lhs: MetadataEdit, rhs: MetadataEdit) -> Bool {
        lhs.field == rhs.field && lhs.remove == rhs.remove && lhs.set.map(\.key) == rhs.set.map(\.key)
            && lhs.set.map(\.value) == rhs.set.map(\.value)
    }

    /// Splits `k=v` and `k-` arguments; anything else is refused as kubectl refuses it.
    public init(field: Field, arguments: [String]) throws(CtlError) {
        self.field = field
        var set: [(key: String, value: String)] = []
        var remove: [String] = []
        for argument in arguments {
            if let equals = argument.firstIndex(of: "=") {
                let key = String(argument[..<equals])
                let value = String(argument[argument.index(after: equals)...])
                guard !key.isEmpty else { throw .message("invalid \(field == .labels ? "label" : "annotation") spec: \(argument)") }
                if field == .labels {
                    let problems = NameValidation.qualifiedName(key) + NameValidation.labelValue(value)
                    if !problems.isEmpty {
                        throw .message("invalid label spec: \(argument), \(problems.joined(separator: "; "))")
                    }
                }
                set.append((key, value))
            } else if argument.hasSuffix("-"), argument.count > 1 {
                remove.append(String(argument.dropLast()))
            } else {
                throw .message("at least one \(field == .labels ? "label" : "annotation") update is required")
            }
        }
        if set.isEmpty && remove.isEmpty {
            throw .message("at least one \(field == .labels ? "label" : "annotation") update is required")
        }
        if let both = set.first(where: { pair in remove.contains(pair.key) }) {
            throw .message("can not both modify and remove the following \(field.rawValue) in the same command: \(both.key)")
        }
        self.set = set
        self.remove = remove
    }

    /// The merge patch for `object`, or nil when nothing changes. Without `overwrite`,
    /// changing an existing value is an error (kubectl's wording per field).
    public func patch(for object: JSONValue, overwrite: Bool) throws(CtlError) -> JSONValue? {
        let current = object["metadata"][field.rawValue].stringMapValue ?? [:]
        if !overwrite {
            for (key, value) in set {
                if let existing = current[key], existing != value {
                    throw .message(
                        field == .labels
                            ? "'\(key)' already has a value (\(existing)), and --overwrite is false"
                            : "--overwrite is false but found the following declared annotation(s): '\(key)' already has a value (\(existing))")
                }
            }
        }
        var changes: [String: JSONValue] = [:]
        for (key, value) in set where current[key] != value { changes[key] = .string(value) }
        for key in remove where current[key] != nil { changes[key] = .null }
        guard !changes.isEmpty else { return nil }
        return ["metadata": .object([field.rawValue: .object(changes)])]
    }

    /// Keys asked to be removed that the object does not have (kubectl mentions them).
    public func missingRemovals(in object: JSONValue) -> [String] {
        let current = object["metadata"][field.rawValue].stringMapValue ?? [:]
        return remove.filter { current[$0] == nil }
    }
}

/// `label|annotate TYPE NAME… k=v k-`: `GET <object>`, then
/// `PATCH <object>?fieldManager=kubectl-label|kubectl-annotate` with
/// `application/merge-patch+json`; prints `deployment.apps/notepad labeled` (`not labeled`
/// when nothing changes; `annotate` always says `annotated`).
public struct MetadataEditAction: Sendable {
    public var session: KubeSession
    public var output: CtlOutput

    public init(session: KubeSession, output: CtlOutput) {
        self.session = session
        self.output = output
    }

    public func run(
        _ arguments: ResourceArguments, edit: MetadataEdit, overwrite: Bool, labelSelector: String? = nil, all: Bool = false
    ) async throws(CtlError) -> Bool {
        var failures: [CtlError] = []
        for selection in arguments.selections {
            let namespace = session.namespace(for: selection.kind)
            var names = selection.names
            if names.isEmpty {
                guard all || !(labelSelector ?? "").isEmpty else {
                    throw .message("resource(s) were provided, but no name was specified")
                }
                names = try await session.list(selection.kind, namespace: namespace, labelSelector: labelSelector).items
                    .compactMap { $0["metadata"]["name"].stringValue }
            }
            for name in names {
                do {
                    let live = try await session.get(selection.kind, name: name, namespace: namespace)
                    for key in edit.missingRemovals(in: live) where edit.field == .labels {
                        output.err("label \(GoQuote.quote(key)) not found.\n")
                    }
                    guard let patch = try edit.patch(for: live, overwrite: overwrite) else {
                        let message = edit.field == .labels ? "not labeled" : "annotated"
                        output.out("\(selection.kind.displayKind)/\(name) \(message)\n")
                        continue
                    }
                    _ = try await session.request(
                        "PATCH", selection.kind.path(namespace: namespace, name: name),
                        query: [("fieldManager", edit.field.fieldManager)], body: patch,
                        contentType: "application/merge-patch+json")
                    let onlyRemovals = edit.set.isEmpty
                    let message = edit.field == .labels && onlyRemovals ? "unlabeled" : edit.field.pastTense
                    output.out("\(selection.kind.displayKind)/\(name) \(message)\n")
                } catch {
                    if case .connection = error { throw error }
                    failures.append(error)
                }
            }
        }
        for failure in failures { output.err(failure.description + "\n") }
        return failures.isEmpty
    }
}
