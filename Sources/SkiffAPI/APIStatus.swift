/// A `kind: Status` failure, the body of every API error reply.
///
/// The constructors mirror apimachinery's `errors.New…` so that messages, reasons,
/// codes and `details` match the real API server: kubectl prints the message and
/// branches on reason and code.
public struct APIStatus: Hashable, Sendable, Error, CustomStringConvertible {
    public var code: Int
    public var reason: StatusReason
    public var message: String
    public var details: StatusDetails?

    public init(code: Int, reason: StatusReason, message: String, details: StatusDetails? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    public var description: String { message }

    /// The optimistic-concurrency detail of a Conflict on update.
    public static let objectModifiedMessage =
        "the object has been modified; please apply your changes to the latest version and try again"

    /// `pods "x" not found` (404).
    public static func notFound(_ resource: GroupResource, name: String) -> APIStatus {
        APIStatus(
            code: 404, reason: .notFound, message: "\(resource) \(GoValueFormat.quoted(name)) not found",
            details: StatusDetails(name: name, group: resource.group, kind: resource.resource))
    }

    /// `deployments.apps "notepad" already exists` (409).
    public static func alreadyExists(_ resource: GroupResource, name: String) -> APIStatus {
        APIStatus(
            code: 409, reason: .alreadyExists, message: "\(resource) \(GoValueFormat.quoted(name)) already exists",
            details: StatusDetails(name: name, group: resource.group, kind: resource.resource))
    }

    /// `Operation cannot be fulfilled on deployments.apps "notepad": <detail>` (409).
    public static func conflict(
        _ resource: GroupResource, name: String, detail: String = APIStatus.objectModifiedMessage
    ) -> APIStatus {
        APIStatus(
            code: 409, reason: .conflict,
            message: "Operation cannot be fulfilled on \(resource) \(GoValueFormat.quoted(name)): \(detail)",
            details: StatusDetails(name: name, group: resource.group, kind: resource.resource))
    }

    /// `Deployment.apps "notepad" is invalid: <error>` or `…: [<error>, <error>]` (422),
    /// with one cause per field error. Repeated messages are reported once, as Go's aggregate does.
    public static func invalid(_ kind: GroupKind, name: String, errors: [FieldError]) -> APIStatus {
        var seen: Set<String> = []
        let unique = errors.filter { seen.insert($0.description).inserted }
        let list = unique.count == 1 ? unique[0].description : "[" + unique.map(\.description).joined(separator: ", ") + "]"
        return APIStatus(
            code: 422, reason: .invalid, message: "\(kind) \(GoValueFormat.quoted(name)) is invalid: \(list)",
            details: StatusDetails(
                name: name, group: kind.group, kind: kind.kind,
                causes: errors.map { StatusCause(reason: $0.kind.rawValue, message: $0.body, field: $0.field) }))
    }

    /// A malformed request; the message is shown as given (400).
    public static func badRequest(_ message: String) -> APIStatus {
        APIStatus(code: 400, reason: .badRequest, message: message)
    }

    /// 410 Gone.
    public static func gone(_ message: String) -> APIStatus {
        APIStatus(code: 410, reason: .gone, message: message)
    }

    /// 410 Expired, sent as a watch `ERROR` event when the requested resourceVersion is compacted.
    public static func resourceExpired(_ message: String) -> APIStatus {
        APIStatus(code: 410, reason: .expired, message: message)
    }

    /// 401; an empty message becomes `not authorized`, as in apimachinery.
    public static func unauthorized(_ message: String = "") -> APIStatus {
        APIStatus(code: 401, reason: .unauthorized, message: message.isEmpty ? "not authorized" : message)
    }

    /// `pods "x" is forbidden: <reason>` (403); without a name, `pods is forbidden: <reason>`.
    public static func forbidden(_ resource: GroupResource, name: String = "", reason: String) -> APIStatus {
        let message: String
        if resource.resource.isEmpty {
            message = "forbidden: \(reason)"
        } else if name.isEmpty {
            message = "\(resource) is forbidden: \(reason)"
        } else {
            message = "\(resource) \(GoValueFormat.quoted(name)) is forbidden: \(reason)"
        }
        return APIStatus(
            code: 403, reason: .forbidden, message: message,
            details: StatusDetails(name: name, group: resource.group, kind: resource.resource))
    }

    /// `<action> is not supported on resources of kind "deployments.apps"` (405).
    public static func methodNotSupported(_ resource: GroupResource, action: String) -> APIStatus {
        APIStatus(
            code: 405, reason: .methodNotAllowed,
            message: "\(action) is not supported on resources of kind \(GoValueFormat.quoted(resource.description))",
            details: StatusDetails(group: resource.group, kind: resource.resource))
    }

    /// `Request entity too large: <message>` (413).
    public static func requestEntityTooLarge(_ message: String) -> APIStatus {
        APIStatus(code: 413, reason: .requestEntityTooLarge, message: "Request entity too large: \(message)")
    }

    /// The reply to a body in a format the server cannot decode (415), listing what it accepts.
    public static func unsupportedMediaType(accepted: [String]) -> APIStatus {
        APIStatus(
            code: 415, reason: .unsupportedMediaType,
            message: "the body of the request was in an unknown format - accepted media types include: "
                + accepted.joined(separator: ", "))
    }

    /// `Internal error occurred: <message>` (500), the message repeated as the one cause.
    public static func internalError(_ message: String) -> APIStatus {
        APIStatus(
            code: 500, reason: .internalError, message: "Internal error occurred: \(message)",
            details: StatusDetails(causes: [StatusCause(message: message)]))
    }

    /// The Status object as sent on the wire; empty members are omitted as Go's `omitempty` does.
    public var json: JSONValue {
        var value: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure",
            "message": .string(message), "reason": .string(reason.rawValue), "code": .integer(Int64(code)),
        ]
        if let details, !details.json.objectValue.isEmptyOrNil { value["details"] = details.json }
        return value
    }

    /// Reads a Failure Status from a reply body (for clients); nil when it is not one.
    public init?(json: JSONValue) {
        guard json["kind"].stringValue == "Status", let code = json["code"].int64Value,
            let reason = json["reason"].stringValue.flatMap(StatusReason.init(rawValue:))
        else { return nil }
        let details = json["details"].objectValue == nil ? nil : StatusDetails(json: json["details"])
        self.init(code: Int(code), reason: reason, message: json["message"].stringValue ?? "", details: details)
    }
}

extension Optional where Wrapped == [String: JSONValue] {
    fileprivate var isEmptyOrNil: Bool { self?.isEmpty ?? true }
}
