import Foundation
import SkiffAPI

/// One API call as the handlers see it, independent of the HTTP library:
/// the verb, what the path names, the query (repeated keys kept), the two
/// headers that steer encoding, and the whole body.
struct APIRequest: Sendable {
    var method: String
    var path: String
    var query: [(String, String)]
    var accept: String
    var contentType: String
    var body: [UInt8]

    /// The first value of a query parameter.
    func parameter(_ name: String) -> String? {
        query.first { $0.0 == name }?.1
    }

    func parameters(_ name: String) -> [String] {
        query.filter { $0.0 == name }.map(\.1)
    }

    /// `?watch=true` or `?watch=1`, as client-go and kubectl send it.
    var isWatch: Bool {
        guard let value = parameter("watch") else { return false }
        return value == "true" || value == "1"
    }

    /// Whether the client asked for a `meta.k8s.io` Table (`kubectl get`).
    var wantsTable: Bool {
        accept.split(separator: ",").contains { part in
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            return fields.contains("as=Table") && fields.contains("g=meta.k8s.io")
        }
    }

    /// `Table` rows carry PartialObjectMetadata unless `includeObject` says otherwise.
    var includeObject: String { parameter("includeObject") ?? "Metadata" }

    /// The body's media type without parameters (`application/json`).
    var mediaType: String {
        (contentType.split(separator: ";").first.map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
            .lowercased()
    }
}

/// What a handler answers: a JSON document, raw bytes (logs, metrics) or a
/// stream of newline-delimited JSON (watch), each with its status code.
enum APIReply: Sendable {
    case json(status: Int, body: JSONValue, contentType: String = "application/json")
    case bytes(status: Int, body: [UInt8], contentType: String)
    /// `cancel` stops the producer; the responder calls it however the stream ends.
    case stream(contentType: String, body: AsyncStream<[UInt8]>, cancel: @Sendable () -> Void)

    static func ok(_ body: JSONValue) -> APIReply { .json(status: 200, body: body) }
    static func created(_ body: JSONValue) -> APIReply { .json(status: 201, body: body) }
    static func failure(_ status: APIStatus) -> APIReply { .json(status: status.code, body: status.json) }
}
