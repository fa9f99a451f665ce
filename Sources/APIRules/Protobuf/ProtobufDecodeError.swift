/// Why a `application/vnd.kubernetes.protobuf` request body could not be turned into JSON.
public struct ProtobufDecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// The bytes are not a well-formed envelope or message (a 400 Bad Request).
        case malformed
        /// Well-formed, but of a kind Skiff has no field table for (a 415 Unsupported Media Type,
        /// so the client knows to send JSON instead).
        case unsupportedKind
    }

    public var reason: Reason
    /// What went wrong, for the Status message (`truncated varint at byte 12`).
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    static func malformed(_ message: String) -> ProtobufDecodeError {
        ProtobufDecodeError(.malformed, message)
    }

    public var description: String { message }
}
