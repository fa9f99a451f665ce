/// `Status.reason`: the machine-readable cause clients branch on (kubectl treats
/// `NotFound` on GET before `apply` as "create it").
public enum StatusReason: String, Hashable, Sendable {
    case invalid = "Invalid"
    case notFound = "NotFound"
    case alreadyExists = "AlreadyExists"
    case conflict = "Conflict"
    case badRequest = "BadRequest"
    case gone = "Gone"
    /// A watch or list `resourceVersion` older than the store keeps (410).
    case expired = "Expired"
    case unauthorized = "Unauthorized"
    case forbidden = "Forbidden"
    case methodNotAllowed = "MethodNotAllowed"
    case requestEntityTooLarge = "RequestEntityTooLarge"
    case unsupportedMediaType = "UnsupportedMediaType"
    case notAcceptable = "NotAcceptable"
    case internalError = "InternalError"
    case timeout = "Timeout"
    case serviceUnavailable = "ServiceUnavailable"
}
