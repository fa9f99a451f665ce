import Foundation
import SkiffAPI

@testable import SkiffClient

/// A scripted API server for command tests: records every request and answers from a
/// closure; watch streams replay a fixed list of events.
final class ManifestTestTransport: APITransport, @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var query: [(String, String)]
        var body: JSONValue?
        var contentType: String?
        var accept: String

        func queryValue(_ key: String) -> String? { query.first { $0.0 == key }?.1 }
    }

    private let lock = NSLock()
    private var recorded: [Request] = []
    private let respond: @Sendable (Request) -> (Int, JSONValue)
    private let watchEvents: [JSONValue]

    init(watchEvents: [JSONValue] = [], respond: @escaping @Sendable (Request) -> (Int, JSONValue)) {
        self.respond = respond
        self.watchEvents = watchEvents
    }

    var requests: [Request] { lock.withLock { recorded } }

    func send(
        _ method: String, _ path: String, query: [(String, String)], body: [UInt8]?, contentType: String?, accept: String
    ) async throws(ClientError) -> APIResponse {
        let request = Request(
            method: method, path: path, query: query, body: body.flatMap { try? JSONValue(jsonBytes: $0) },
            contentType: contentType, accept: accept)
        lock.withLock { recorded.append(request) }
        let (status, reply) = respond(request)
        return APIResponse(status: status, headers: [("Content-Type", "application/json")], body: reply.serializedBytes())
    }

    func stream(_ path: String, query: [(String, String)], accept: String) async throws(ClientError) -> (
        status: Int, headers: [(String, String)], body: AsyncThrowingStream<[UInt8], Error>
    ) {
        lock.withLock { recorded.append(Request(method: "WATCH", path: path, query: query, body: nil, contentType: nil, accept: accept)) }
        let chunks = watchEvents.map { Array(($0.serializedString() + "\n").utf8) }
        return (200, [], AsyncThrowingStream { continuation in
            for chunk in chunks { continuation.yield(chunk) }
            continuation.finish()
        })
    }
}

/// Collects what a command printed.
final class ManifestTestOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var outText = ""
    private var errText = ""

    var out: String { lock.withLock { outText } }
    var err: String { lock.withLock { errText } }

    var output: CtlOutput {
        CtlOutput(
            out: { text in self.lock.withLock { self.outText += text } },
            err: { text in self.lock.withLock { self.errText += text } })
    }
}

/// `Status` replies as the API server sends them.
enum ManifestTestReplies {
    static func status(_ status: APIStatus) -> (Int, JSONValue) { (status.code, status.json) }

    static func notFound(_ resource: String, group: String = "", name: String) -> (Int, JSONValue) {
        status(APIStatus.notFound(GroupResource(group: group, resource: resource), name: name))
    }
}
