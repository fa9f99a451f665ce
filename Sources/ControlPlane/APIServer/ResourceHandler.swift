import APIRules
import Foundation
import SkiffAPI

/// Serves the resource paths: one value per server, shared by every request.
/// Each verb lives in its own extension file; this one picks the verb.
struct ResourceHandler: Sendable {
    let store: ObjectStore
    let registry: ResourceRegistry
    let services: ServiceAllocator
    let watches: OpenWatches
    /// Injected so tests and replays can pin time; production reads the wall clock.
    let now: @Sendable () -> Date
    /// The node agent behind `pods/log` and `pods/exec`; nil when this server runs none.
    var podStreaming: (any PodStreaming)? = nil

    func handle(_ request: APIRequest, _ path: RequestTarget.ResourcePath) async -> APIReply {
        do {
            return try await dispatch(request, path)
        } catch {
            return .failure(error)
        }
    }

    private func dispatch(_ request: APIRequest, _ path: RequestTarget.ResourcePath) async throws(APIStatus)
        -> APIReply
    {
        guard let resource = registry.resource(group: path.group, version: path.version, plural: path.plural) else {
            throw APIStatus(
                code: 404, reason: .notFound, message: "the server could not find the requested resource",
                details: StatusDetails(causes: [StatusCause(reason: "UnexpectedServerResponse", message: "404 page not found")]))
        }
        if path.namespace != nil, !resource.namespaced {
            throw APIStatus(code: 404, reason: .notFound, message: "the server could not find the requested resource")
        }
        let scope = Scope(resource: resource, namespace: resource.namespaced ? path.namespace : nil)
        if let subresource = path.subresource {
            guard let name = path.name, resource.subresource(subresource) != nil else {
                throw APIStatus(code: 404, reason: .notFound, message: "the server could not find the requested resource")
            }
            return try await handleSubresource(request, scope, name: name, subresource: subresource)
        }
        switch (request.method, path.name) {
        case ("GET", nil):
            return request.isWatch ? try await watch(request, scope) : try await list(request, scope)
        case ("GET", let name?):
            if request.isWatch { return try await watch(request, scope, name: name) }
            return try await get(request, scope, name: name)
        case ("POST", nil):
            return try await create(request, scope)
        case ("PUT", let name?):
            return try await update(request, scope, name: name)
        case ("PATCH", let name?):
            return try await patch(request, scope, name: name)
        case ("DELETE", let name?):
            return try await delete(request, scope, name: name)
        case ("DELETE", nil):
            return try await deleteCollection(request, scope)
        default:
            throw APIStatus.methodNotSupported(resource.groupResource, action: request.method.lowercased())
        }
    }

    private func handleSubresource(_ request: APIRequest, _ scope: Scope, name: String, subresource: String)
        async throws(APIStatus) -> APIReply
    {
        switch (subresource, request.method) {
        case ("status", "GET"):
            return try await get(request, scope, name: name)
        case ("status", "PUT"):
            return try await update(request, scope, name: name, subresource: "status")
        case ("status", "PATCH"):
            return try await patch(request, scope, name: name, subresource: "status")
        case ("scale", "GET"):
            return .ok(try await scale(scope, name: name))
        case ("scale", "PUT"), ("scale", "PATCH"):
            return .ok(try await updateScale(request, scope, name: name))
        case ("binding", "POST"):
            return try await bind(request, scope, name: name)
        case ("finalize", "PUT"):
            return try await update(request, scope, name: name, subresource: "finalize")
        case ("log", "GET") where scope.resource.plural == "pods":
            return try await logs(request, scope, name: name)
        case ("exec", "GET") where scope.resource.plural == "pods", ("exec", "POST") where scope.resource.plural == "pods":
            return try await execWithoutUpgrade(request, scope, name: name)
        default:
            throw APIStatus(
                code: 405, reason: .methodNotAllowed,
                message: "\(request.method) is not supported on \(scope.resource.plural)/\(subresource) in this server")
        }
    }
}

/// The resource and namespace a request addresses (namespace nil: cluster-scoped,
/// or every namespace for a list of a namespaced resource).
struct Scope: Sendable {
    let resource: ResourceKind
    let namespace: String?
}
