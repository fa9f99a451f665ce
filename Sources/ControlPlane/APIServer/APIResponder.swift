import Foundation
import Hummingbird
import NIOCore
import SkiffAPI

/// The one Hummingbird responder: authenticates, turns the HTTP request into
/// an `APIRequest`, routes it, and writes the reply (streams for watches).
/// Routing is done here rather than with a Router because Kubernetes paths
/// are a small regular grammar (`RequestTarget`) and every route shares the
/// same error and metrics handling.
struct APIResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// The real server refuses bodies over 3 MiB (etcd's value limit plus slack).
    static let maxBodyBytes = 3 * 1024 * 1024

    let resources: ResourceHandler
    let discovery: Discovery
    let openAPI: OpenAPIDocuments
    let authenticator: Authenticator
    let metrics: APIMetrics
    let storageReady: @Sendable () async -> Bool

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let path = request.uri.path
        let target = RequestTarget(path: path)
        let method = request.method.rawValue
        var verb = method.lowercased()
        var resourceLabel = ""
        if case .resource(let resourcePath) = target {
            resourceLabel = resourcePath.plural
            verb = Self.verb(
                method: method, named: resourcePath.name != nil,
                watch: request.uri.queryParameters["watch"].map(String.init))
        }
        let reply: APIReply
        if !authenticator.allows(path: path, authorization: request.headers[.authorization]) {
            reply = .failure(APIStatus(code: 401, reason: .unauthorized, message: "Unauthorized"))
        } else {
            reply = await route(request, target: target)
        }
        let response = render(reply, watchResource: verb == "watch" ? resourceLabel : nil)
        metrics.recordRequest(
            verb: verb, resource: resourceLabel, code: Int(response.status.code),
            duration: ContinuousClock.now - started)
        return response
    }

    private func route(_ request: Request, target: RequestTarget) async -> APIReply {
        switch target {
        case .discovery(let group, let version, let legacyCore):
            return discovery.reply(
                group: group, version: version, legacyCore: legacyCore, accept: request.headers[.accept] ?? "")
        case .nonResource(let path):
            return await nonResource(path)
        case .resource(let resourcePath):
            let body: [UInt8]
            do {
                var buffer = try await request.body.collect(upTo: Self.maxBodyBytes)
                body = buffer.readBytes(length: buffer.readableBytes) ?? []
            } catch {
                return .failure(.requestEntityTooLarge("limit is \(Self.maxBodyBytes)"))
            }
            let query = Self.parseQuery(request.uri.query ?? "")
            let apiRequest = APIRequest(
                method: request.method.rawValue, path: request.uri.path, query: query,
                accept: request.headers[.accept] ?? "", contentType: request.headers[.contentType] ?? "", body: body)
            return await resources.handle(apiRequest, resourcePath)
        }
    }

    private func nonResource(_ path: String) async -> APIReply {
        switch path {
        case "/version", "/version/":
            return .ok(VersionInfo.json)
        case "/healthz", "/livez", "/readyz":
            if path == "/readyz", await !storageReady() {
                return .bytes(status: 500, body: Array("[-]etcd failed: reason withheld\nreadyz check failed\n".utf8), contentType: "text/plain; charset=utf-8")
            }
            return .bytes(status: 200, body: Array("ok".utf8), contentType: "text/plain; charset=utf-8")
        case "/metrics":
            return .bytes(status: 200, body: metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        case "/":
            let paths = ["/api", "/api/v1", "/apis", "/healthz", "/livez", "/metrics", "/openapi/v3", "/readyz", "/version"]
            return .ok(["paths": .array(paths.map(JSONValue.string))])
        default:
            if path.hasPrefix("/openapi/v3") { return openAPI.reply(path: path) }
            return .bytes(status: 404, body: Array("404 page not found\n".utf8), contentType: "text/plain; charset=utf-8")
        }
    }

    private func render(_ reply: APIReply, watchResource: String?) -> Response {
        switch reply {
        case .json(let status, let body, let contentType):
            return Response(
                status: HTTPResponse.Status(code: status), headers: [.contentType: contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.serializedBytes())))
        case .bytes(let status, let body, let contentType):
            return Response(
                status: HTTPResponse.Status(code: status), headers: [.contentType: contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        case .stream(let contentType, let stream, let cancel):
            let metrics = self.metrics
            let resource = watchResource ?? ""
            return Response(
                status: .ok, headers: [.contentType: contentType],
                body: ResponseBody { writer in
                    metrics.watchOpened(resource: resource)
                    defer {
                        cancel()
                        metrics.watchClosed(resource: resource)
                    }
                    for await chunk in stream {
                        try await writer.write(ByteBuffer(bytes: chunk))
                    }
                    try await writer.finish(nil)
                })
        }
    }

    /// Form-decodes a query as Go's `url.ParseQuery` does: `+` is a space (kubectl
    /// sends `labelSelector=app+in+%28a%2Cb%29`), then percent escapes; order and
    /// repeated keys are kept.
    static func parseQuery(_ raw: String) -> [(String, String)] {
        raw.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The verb the real server would log: list vs get, watch, deletecollection.
    static func verb(method: String, named: Bool, watch watchParameter: String?) -> String {
        let watch = watchParameter == "true" || watchParameter == "1"
        switch method {
        case "GET": return watch ? "watch" : (named ? "get" : "list")
        case "POST": return "create"
        case "PUT": return "update"
        case "PATCH": return "patch"
        case "DELETE": return named ? "delete" : "deletecollection"
        default: return method.lowercased()
        }
    }
}

/// Bearer-token authentication: every request but the public health and
/// version endpoints must carry a token the server issued.
struct Authenticator: Sendable {
    let tokens: Set<String>
    /// `--insecure-loopback` debugging: accept anything (never the default).
    let allowAnonymous: Bool

    static let publicPaths: Set<String> = ["/version", "/version/", "/healthz", "/livez", "/readyz"]

    func allows(path: String, authorization: String?) -> Bool {
        if allowAnonymous || Self.publicPaths.contains(path) { return true }
        guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
        let token = authorization.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces)
        return tokens.contains { Self.constantTimeEquals($0, token) }
    }

    /// Compares without an early exit, so response timing does not leak a token prefix.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
