/// `Status.details`: which object failed and, for Invalid, one cause per field.
/// `kind` holds the resource (`deployments`) for most reasons but the kind
/// (`Deployment`) for Invalid, as in Kubernetes.
public struct StatusDetails: Hashable, Sendable {
    public var name: String
    public var group: String
    public var kind: String
    public var causes: [StatusCause]

    public init(name: String = "", group: String = "", kind: String = "", causes: [StatusCause] = []) {
        self.name = name
        self.group = group
        self.kind = kind
        self.causes = causes
    }

    init(json: JSONValue) {
        self.init(
            name: json["name"].stringValue ?? "", group: json["group"].stringValue ?? "",
            kind: json["kind"].stringValue ?? "",
            causes: (json["causes"].arrayValue ?? []).map(StatusCause.init(json:)))
    }

    public var json: JSONValue {
        var value = JSONValue.emptyObject
        if !name.isEmpty { value["name"] = .string(name) }
        if !group.isEmpty { value["group"] = .string(group) }
        if !kind.isEmpty { value["kind"] = .string(kind) }
        if !causes.isEmpty { value["causes"] = .array(causes.map(\.json)) }
        return value
    }
}

/// One entry of `details.causes`: `{reason: FieldValueInvalid, message, field}`.
public struct StatusCause: Hashable, Sendable {
    public var reason: String
    public var message: String
    public var field: String

    public init(reason: String = "", message: String, field: String = "") {
        self.reason = reason
        self.message = message
        self.field = field
    }

    init(json: JSONValue) {
        self.init(
            reason: json["reason"].stringValue ?? "", message: json["message"].stringValue ?? "",
            field: json["field"].stringValue ?? "")
    }

    public var json: JSONValue {
        var value = JSONValue.emptyObject
        if !reason.isEmpty { value["reason"] = .string(reason) }
        if !message.isEmpty { value["message"] = .string(message) }
        if !field.isEmpty { value["field"] = .string(field) }
        return value
    }
}
