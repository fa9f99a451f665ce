import SkiffAPI

/// What every API command needs: the server, the namespace it works in, and how resource
/// names resolve. One per command run.
public struct KubeSession: Sendable {
    public let transport: any APITransport
    /// `-n`, else the context's namespace, else `default`.
    public let namespace: String
    /// Whether `-n` was given (a manifest's own namespace must then agree with it).
    public let namespaceIsExplicit: Bool
    public let registry: ResourceRegistry

    /// Accept for plain objects.
    public static let jsonAccept = "application/json"
    /// Accept for `get`'s human output; kubectl 1.32 sends the same (minus v1beta1).
    public static let tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"

    public init(
        transport: any APITransport, namespace: String, namespaceIsExplicit: Bool = false,
        registry: ResourceRegistry = .builtin
    ) {
        self.transport = transport
        self.namespace = namespace
        self.namespaceIsExplicit = namespaceIsExplicit
        self.registry = registry
    }

    /// The resource a command-line type names (`deploy`, `svc`, `deployments.apps`), or
    /// kubectl's error for an unknown one.
    public func resource(named name: String) throws(CtlError) -> ResourceKind {
        guard let kind = registry.resource(named: name) else {
            throw .message("the server doesn't have a resource type \"\(name)\"")
        }
        return kind
    }

    /// The resource serving a manifest object's apiVersion and kind; `source` names the
    /// file in kubectl's error for a kind the server does not serve.
    public func resource(for object: JSONValue, source: String = "") throws(CtlError) -> ResourceKind {
        let apiVersion = object["apiVersion"].stringValue ?? ""
        let kind = object["kind"].stringValue ?? ""
        if let resource = registry.resource(apiVersion: apiVersion, kind: kind) { return resource }
        let name = object["metadata"]["name"].stringValue ?? ""
        let namespace = object["metadata"]["namespace"].stringValue ?? ""
        throw .message(
            "resource mapping not found for name: \(GoQuote.quote(name)) namespace: \(GoQuote.quote(namespace)) "
                + "from \(GoQuote.quote(source)): no matches for kind \(GoQuote.quote(kind)) in version "
                + "\(GoQuote.quote(apiVersion))\nensure CRDs are installed first")
    }

    /// The namespace an object lives in for this command: cluster-scoped kinds have none.
    public func namespace(for kind: ResourceKind, object: JSONValue? = nil) -> String? {
        guard kind.namespaced else { return nil }
        if let own = object?["metadata"]["namespace"].stringValue, !own.isEmpty { return own }
        return namespace
    }

    /// One request whose reply must succeed; an error reply becomes `CtlError.server`.
    public func request(
        _ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
        contentType: String? = nil, accept: String = KubeSession.jsonAccept
    ) async throws(CtlError) -> JSONValue {
        let response = try await send(method, path, query: query, body: body, contentType: contentType, accept: accept)
        if let status = response.statusError { throw .server(status) }
        if response.body.isEmpty { return .null }
        do {
            return try JSONValue(jsonBytes: response.body)
        } catch {
            throw .message("unable to decode the server's reply to \(method) \(path): \(error)")
        }
    }

    /// One request, returning the raw reply whatever its status (for 404 checks).
    public func send(
        _ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
        contentType: String? = nil, accept: String = KubeSession.jsonAccept
    ) async throws(CtlError) -> APIResponse {
        do {
            return try await transport.send(
                method, path, query: query, body: body.map { Array(GoJSON.compact($0).utf8) },
                contentType: body == nil ? nil : (contentType ?? "application/json"), accept: accept)
        } catch {
            throw .connection(error)
        }
    }

    /// GET one object, nil when it does not exist.
    public func getIfExists(_ kind: ResourceKind, name: String, namespace: String?) async throws(CtlError) -> JSONValue? {
        let response = try await send("GET", kind.path(namespace: namespace, name: name))
        if response.status == 404 { return nil }
        if let status = response.statusError { throw .server(status) }
        do {
            return try JSONValue(jsonBytes: response.body)
        } catch {
            throw .message("unable to decode the server's reply: \(error)")
        }
    }

    /// GET one object; a missing one is `Error from server (NotFound): …`.
    public func get(_ kind: ResourceKind, name: String, namespace: String?) async throws(CtlError) -> JSONValue {
        try await request("GET", kind.path(namespace: namespace, name: name))
    }

    /// Every object of a kind, following `continue` tokens (kubectl lists 500 at a time).
    public func list(
        _ kind: ResourceKind, namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil
    ) async throws(CtlError) -> (items: [JSONValue], resourceVersion: String) {
        var items: [JSONValue] = []
        var token: String?
        var resourceVersion = ""
        repeat {
            var query: [(String, String)] = []
            if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
            if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
            query.append(("limit", "500"))
            if let token { query.append(("continue", token)) }
            let page = try await request("GET", kind.path(namespace: namespace), query: query)
            items += (page["items"].arrayValue ?? []).map { Self.withKind($0, kind) }
            resourceVersion = page["metadata"]["resourceVersion"].stringValue ?? resourceVersion
            token = page["metadata"]["continue"].stringValue.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return (items, resourceVersion)
    }

    /// List items arrive without apiVersion and kind; kubectl's output shows them.
    static func withKind(_ object: JSONValue, _ kind: ResourceKind) -> JSONValue {
        var object = object
        if object["apiVersion"].isNull { object["apiVersion"] = .string(kind.apiVersion) }
        if object["kind"].isNull { object["kind"] = .string(kind.kind) }
        return object
    }
}
