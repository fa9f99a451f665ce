import Foundation
import SkiffAPI

/// One complete reply of the API server.
public struct APIResponse: Sendable {
    public var status: Int
    /// In the order received; names as the server sent them.
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.0.lowercased() == lowered }?.1
    }

    /// The Kubernetes Status of an error reply (status 400 and up), nil for a success.
    ///
    /// When the body is not a Status (a proxy's HTML page, a plain-text 404), one is made
    /// from the code with the messages client-go uses, so that the user still reads
    /// `the server could not find the requested resource` rather than raw HTML.
    public var statusError: APIStatus? {
        guard status >= 400 else { return nil }
        if let json = try? JSONValue(jsonBytes: body), json["kind"].stringValue == "Status" {
            if let parsed = APIStatus(json: json) { return parsed }
            // A Status whose reason Skiff does not model (ServiceUnavailable, TooManyRequests):
            // keep its message, derive the reason from the code.
            let message = json["message"].stringValue ?? ""
            return Self.genericStatus(code: status, serverMessage: message, keepMessage: !message.isEmpty)
        }
        let text = String(decoding: body.prefix(1024), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let isText = header("Content-Type")?.lowercased().hasPrefix("text/") ?? false
        return Self.genericStatus(code: status, serverMessage: isText ? text : "unknown", keepMessage: false)
    }

    /// client-go's `NewGenericServerResponse` messages for a reply without a usable Status.
    static func genericStatus(code: Int, serverMessage: String, keepMessage: Bool) -> APIStatus {
        let reason: StatusReason
        var message: String
        switch code {
        case 409:
            (reason, message) = (.conflict, "the server reported a conflict")
        case 404:
            (reason, message) = (.notFound, "the server could not find the requested resource")
        case 400:
            (reason, message) = (.badRequest, "the server rejected our request for an unknown reason")
        case 401:
            (reason, message) = (.unauthorized, "the server has asked for the client to provide credentials")
        case 403:
            (reason, message) = (.forbidden, serverMessage)
        case 405:
            (reason, message) = (.methodNotAllowed, "the server does not allow this method on the requested resource")
        case 406:
            let detail = serverMessage.isEmpty || serverMessage == "unknown"
            (reason, message) = (
                .notAcceptable,
                detail ? "the server was unable to respond with a content type that the client supports" : serverMessage
            )
        case 413:
            (reason, message) = (.requestEntityTooLarge, "the server has rejected the request because it is too large")
        case 415:
            (reason, message) = (.unsupportedMediaType, serverMessage)
        case 422:
            (reason, message) = (.invalid, "the server rejected our request due to an error in our request")
        case 504:
            (reason, message) = (
                .timeout,
                "the server was unable to return a response in the time allotted, but may still be processing the request"
            )
        case 500...:
            (reason, message) = (
                .internalError,
                "an error on the server (\"\(serverMessage)\") has prevented the request from succeeding"
            )
        default:
            (reason, message) = (
                .badRequest, "the server responded with the status code \(code) but did not return more information"
            )
        }
        if keepMessage { message = serverMessage }
        return APIStatus(code: code, reason: reason, message: message)
    }
}
