import Foundation
import SkiffAPI
import SkiffClient

/// The few verbs the node agent uses, over the same HTTPS transport as `skiff`,
/// so an agent on another machine talks to the API server exactly as the one
/// inside `skiffd server` does.
package struct AgentAPI: Sendable {
    package let transport: any APITransport
    /// The longest one request may take (watches excepted).
    package static let requestTimeout: Duration = .seconds(20)

    package init(transport: any APITransport) {
        self.transport = transport
    }

    /// The object at `path`, or nil when it does not exist.
    package func get(_ path: String) async throws(AgentAPIError) -> JSONValue? {
        do {
            return try await call("GET", path)
        } catch where error.isNotFound {
            return nil
        }
    }

    @discardableResult
    package func create(_ collection: String, _ object: JSONValue) async throws(AgentAPIError) -> JSONValue {
        try await call("POST", collection, body: object)
    }

    @discardableResult
    package func update(_ path: String, _ object: JSONValue) async throws(AgentAPIError) -> JSONValue {
        try await call("PUT", path, body: object)
    }

    /// A JSON merge patch (RFC 7386): lists are replaced whole, which is what
    /// status writes want.
    @discardableResult
    package func mergePatch(_ path: String, _ patch: JSONValue) async throws(AgentAPIError) -> JSONValue {
        try await call("PATCH", path, body: patch, contentType: "application/merge-patch+json")
    }

    /// Deletes; a missing object is not an error (someone else finished first).
    package func delete(_ path: String, options: JSONValue? = nil) async throws(AgentAPIError) {
        do {
            _ = try await call("DELETE", path, body: options)
        } catch where error.isNotFound || error.isConflict {
            return
        }
    }

    package func list(_ path: String, query: [(String, String)] = []) async throws(AgentAPIError)
        -> (items: [JSONValue], resourceVersion: String)
    {
        let list = try await call("GET", path, query: query)
        return (list["items"].arrayValue ?? [], list["metadata"]["resourceVersion"].stringValue ?? "")
    }

    /// Watch events from `resourceVersion` until the server ends the stream;
    /// an ERROR event (410 Expired after compaction) is thrown as its Status.
    package func watch(_ path: String, query: [(String, String)], resourceVersion: String) async throws(AgentAPIError)
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        let query = query + [("watch", "true"), ("resourceVersion", resourceVersion), ("allowWatchBookmarks", "true")]
        let stream: (status: Int, headers: [(String, String)], body: AsyncThrowingStream<[UInt8], any Error>)
        do {
            stream = try await transport.stream(path, query: query, accept: "application/json")
        } catch {
            throw AgentAPIError(code: 0, status: nil, message: error.message)
        }
        if stream.status >= 400 {
            var bytes: [UInt8] = []
            do { for try await chunk in stream.body { bytes += chunk } } catch {}
            throw Self.failure(APIResponse(status: stream.status, headers: stream.headers, body: bytes))
        }
        return WatchEventDecoder.events(of: stream.body) { status, object in
            AgentAPIError(code: status?.code ?? 500, status: status, message: status?.message ?? object.serializedString())
        }
    }

    private func call(
        _ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
        contentType: String = "application/json"
    ) async throws(AgentAPIError) -> JSONValue {
        let transport = self.transport
        let bytes = body?.serializedBytes()
        let type = body == nil ? nil : contentType
        // Never wait forever on one request (kubelet bounds its calls too): a lost
        // request becomes an error, and the caller's retry a fresh connection.
        let outcome: Result<APIResponse, AgentAPIError>? = await withTaskGroup(
            of: Result<APIResponse, AgentAPIError>?.self
        ) { group -> Result<APIResponse, AgentAPIError>? in
            group.addTask {
                do {
                    return .success(try await transport.send(
                        method, path, query: query, body: bytes, contentType: type, accept: "application/json"))
                } catch {
                    return .failure(AgentAPIError(code: 0, status: nil, message: "\(error)"))
                }
            }
            group.addTask {
                try? await Task.sleep(for: Self.requestTimeout)
                return nil
            }
            let first: Result<APIResponse, AgentAPIError>?? = await group.next()
            group.cancelAll()
            return first ?? nil
        }
        let response: APIResponse
        switch outcome {
        case .success(let reply)?: response = reply
        case .failure(let error)?: throw error
        case nil:
            throw AgentAPIError(code: 0, status: nil, message: "\(method) \(path): no answer within \(Self.requestTimeout)")
        }
        guard response.status < 300 else { throw Self.failure(response) }
        do {
            return try JSONValue(jsonBytes: response.body)
        } catch {
            throw AgentAPIError(code: response.status, status: nil, message: "undecodable reply to \(method) \(path): \(error)")
        }
    }

    private static func failure(_ response: APIResponse) -> AgentAPIError {
        let status = response.statusError
        return AgentAPIError(
            code: response.status, status: status,
            message: status?.message ?? String(decoding: response.body.prefix(200), as: UTF8.self))
    }
}

/// Paths of the objects the agent touches.
package enum AgentPath {
    package static func pods(_ namespace: String) -> String { "/api/v1/namespaces/\(namespace)/pods" }
    package static func pod(_ namespace: String, _ name: String) -> String { "\(pods(namespace))/\(name)" }
    package static func podStatus(_ namespace: String, _ name: String) -> String { "\(pod(namespace, name))/status" }
    package static let allPods = "/api/v1/pods"
    package static func secret(_ namespace: String, _ name: String) -> String {
        "/api/v1/namespaces/\(namespace)/secrets/\(name)"
    }
    package static func configMap(_ namespace: String, _ name: String) -> String {
        "/api/v1/namespaces/\(namespace)/configmaps/\(name)"
    }
    package static func events(_ namespace: String) -> String { "/api/v1/namespaces/\(namespace)/events" }
    package static let nodes = "/api/v1/nodes"
    package static func node(_ name: String) -> String { "\(nodes)/\(name)" }
    package static func nodeStatus(_ name: String) -> String { "\(node(name))/status" }
    package static let leases = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases"
    package static func lease(_ name: String) -> String { "\(leases)/\(name)" }
}
