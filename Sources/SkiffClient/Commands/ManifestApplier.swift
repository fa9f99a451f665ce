import SkiffAPI

/// `apply -f` and `create -f`: sends each manifest object and prints what happened to it,
/// as kubectl does; a server refusal of one object is reported and the others still go.
///
/// apply, per object: `GET <object>`; 404 → `POST <collection>?fieldManager=kubectl-client-side-apply&fieldValidation=Strict`
/// (the object with its last-applied annotation) → `created`; found → three-way patch;
/// `{}` → `unchanged`, else `PATCH <object>?fieldManager=…&fieldValidation=Strict` with
/// `application/strategic-merge-patch+json` → `configured`.
/// create, per object: `POST <collection>?fieldManager=kubectl-create&fieldValidation=Strict` → `created`.
public struct ManifestApplier: Sendable {
    public var session: KubeSession
    public var output: CtlOutput
    /// What `fieldValidation` asks of the server: `Strict` (kubectl's default), `Warn` or
    /// `Ignore` (`--validate=false`).
    public var fieldValidation: String
    /// `create --save-config` also writes the last-applied annotation.
    public var saveConfig: Bool
    /// The command name used in kubectl's warning texts.
    public var commandName: String

    public init(
        session: KubeSession, output: CtlOutput, fieldValidation: String = "Strict", saveConfig: Bool = false,
        commandName: String = "skiff"
    ) {
        self.session = session
        self.output = output
        self.fieldValidation = fieldValidation
        self.saveConfig = saveConfig
        self.commandName = commandName
    }

    /// Applies every document; true when all succeeded.
    public func apply(_ documents: [ManifestDocument]) async throws(CtlError) -> Bool {
        try await each(documents, verb: "apply") { document, kind, object throws(CtlError) in
            try await applyOne(document, kind: kind, object: object)
        }
    }

    /// Creates every document; true when all succeeded.
    public func create(_ documents: [ManifestDocument]) async throws(CtlError) -> Bool {
        try await each(documents, verb: "create") { document, kind, object throws(CtlError) in
            let body = saveConfig ? ApplyPlan.modified(object) : object
            let namespace = session.namespace(for: kind, object: object)
            let response = try await session.send(
                "POST", kind.path(namespace: namespace),
                query: [("fieldManager", "kubectl-create"), ("fieldValidation", fieldValidation)], body: body)
            if let status = response.statusError {
                throw .server(status, context: "error when creating \(GoQuote.quote(document.source)): ")
            }
            output.out("\(kind.displayKind)/\(Self.name(of: object)) created\n")
        }
    }

    /// Resolves and places each object, runs `body`, collects server refusals and prints
    /// them after the others were sent, as kubectl does. Connection failures stop everything.
    private func each(
        _ documents: [ManifestDocument], verb: String,
        _ body: (ManifestDocument, ResourceKind, JSONValue) async throws(CtlError) -> Void
    ) async throws(CtlError) -> Bool {
        if documents.isEmpty { throw .message(ManifestError.noObjects(verb: verb).description) }
        var failures: [CtlError] = []
        for document in documents {
            do {
                let kind = try session.resource(for: document.object, source: document.source)
                try checkNamespace(document, kind: kind)
                let object = ApplyPlan.placed(document.object, kind: kind, namespace: session.namespace)
                try await body(document, kind, object)
            } catch {
                if case .connection = error { throw error }
                failures.append(error)
            }
        }
        for failure in failures { output.err(failure.description + "\n") }
        return failures.isEmpty
    }

    /// A manifest naming another namespace than an explicit `-n` is refused, as kubectl refuses it.
    private func checkNamespace(_ document: ManifestDocument, kind: ResourceKind) throws(CtlError) {
        guard kind.namespaced, session.namespaceIsExplicit,
            let own = document.object["metadata"]["namespace"].stringValue, !own.isEmpty, own != session.namespace
        else { return }
        throw .message(
            "the namespace from the provided object \(GoQuote.quote(own)) does not match the namespace "
                + "\(GoQuote.quote(session.namespace)). You must pass '--namespace=\(own)' to perform this operation.")
    }

    private func applyOne(_ document: ManifestDocument, kind: ResourceKind, object: JSONValue) async throws(CtlError) {
        let name = Self.name(of: object)
        guard !name.isEmpty else {
            throw .message("error when retrieving current configuration of:\n\(Self.describe(kind, object))\nfrom server for: \(GoQuote.quote(document.source)): resource name may not be empty")
        }
        let namespace = session.namespace(for: kind, object: object)
        let query = [("fieldManager", "kubectl-client-side-apply"), ("fieldValidation", fieldValidation)]
        // A conflicting concurrent write makes the PATCH fail; kubectl retries with a fresh GET.
        for attempt in 1...5 {
            let live: JSONValue?
            do {
                live = try await session.getIfExists(kind, name: name, namespace: namespace)
            } catch {
                guard case .server(let status, _) = error else { throw error }
                throw .server(
                    status,
                    context: "error when retrieving current configuration of:\n\(Self.describe(kind, object))\nfrom server for: \(GoQuote.quote(document.source)): ")
            }
            if let live, !ApplyPlan.hasLastApplied(live), attempt == 1 {
                output.err(
                    "Warning: resource \(kind.plural)/\(name) is missing the \(ApplyPlan.lastAppliedAnnotation) annotation "
                        + "which is required by \(commandName) apply. \(commandName) apply should only be used on resources "
                        + "created declaratively by either \(commandName) create --save-config or \(commandName) apply. "
                        + "The missing annotation will be patched automatically.\n")
            }
            let decision: ApplyPlan.Decision
            do {
                decision = try ApplyPlan.decide(file: object, live: live)
            } catch {
                throw .message("error when applying patch to \(GoQuote.quote(document.source)): \(error)")
            }
            switch decision {
            case .create(let body):
                let response = try await session.send("POST", kind.path(namespace: namespace), query: query, body: body)
                if let status = response.statusError {
                    throw .server(status, context: "error when creating \(GoQuote.quote(document.source)): ")
                }
                output.out("\(kind.displayKind)/\(name) created\n")
                return
            case .unchanged:
                output.out("\(kind.displayKind)/\(name) unchanged\n")
                return
            case .patch(let patch):
                let response = try await session.send(
                    "PATCH", kind.path(namespace: namespace, name: name), query: query, body: patch,
                    contentType: "application/strategic-merge-patch+json")
                if let status = response.statusError {
                    if status.reason == .conflict && attempt < 5 { continue }
                    throw .server(
                        status,
                        context: "error when applying patch:\n\(GoJSON.compact(patch))\nto:\n\(Self.describe(kind, object))\n"
                            + "for: \(GoQuote.quote(document.source)): error when patching \(GoQuote.quote(document.source)): ")
                }
                output.out("\(kind.displayKind)/\(name) configured\n")
                return
            }
        }
    }

    static func name(of object: JSONValue) -> String {
        object["metadata"]["name"].stringValue ?? ""
    }

    /// kubectl's `Resource: "apps/v1, Resource=deployments", …` block in apply errors.
    static func describe(_ kind: ResourceKind, _ object: JSONValue) -> String {
        let namespace = object["metadata"]["namespace"].stringValue ?? ""
        return "Resource: \"\(kind.group)/\(kind.version), Resource=\(kind.plural)\", "
            + "GroupVersionKind: \"\(kind.group)/\(kind.version), Kind=\(kind.kind)\"\n"
            + "Name: \(GoQuote.quote(name(of: object))), Namespace: \(GoQuote.quote(namespace))"
    }
}
