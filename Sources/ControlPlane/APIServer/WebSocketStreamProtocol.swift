import SkiffAPI

/// The Kubernetes remote-command websocket subprotocols the server speaks: binary
/// messages whose first byte names the channel (0 stdin, 1 stdout, 2 stderr,
/// 3 status, 4 resize). v5 adds one control message, `[255, channel]`, with which
/// the client closes its stdin; v4 has no way to say that.
enum WebSocketStreamProtocol: String, Sendable, CaseIterable {
    case v5 = "v5.channel.k8s.io"
    case v4 = "v4.channel.k8s.io"

    static let stdin: UInt8 = 0
    static let stdout: UInt8 = 1
    static let stderr: UInt8 = 2
    static let status: UInt8 = 3
    static let resize: UInt8 = 4
    static let close: UInt8 = 255

    /// The first protocol of the client's `Sec-WebSocket-Protocol` list (one header
    /// or several, comma separated) that the server speaks, as the kubelet's
    /// `wsstream` chooses; nil when none.
    static func negotiate(_ headerValues: [String]) -> WebSocketStreamProtocol? {
        let offered = headerValues.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        for name in offered {
            if let known = WebSocketStreamProtocol(rawValue: name) { return known }
        }
        return nil
    }

    /// One message from the client, as the relay acts on it.
    enum Inbound: Equatable, Sendable {
        case stdin([UInt8])
        case closeStdin
        case resize(columns: UInt16, rows: UInt16)
        /// Empty messages, unknown channels, or a malformed resize: ignored, as the kubelet does.
        case ignored
    }

    func decode(_ message: [UInt8]) -> Inbound {
        guard let channel = message.first else { return .ignored }
        let payload = Array(message.dropFirst())
        switch channel {
        case Self.stdin:
            return .stdin(payload)
        case Self.resize:
            guard let size = try? JSONValue(jsonBytes: payload),
                let width = size["Width"].int64Value, let height = size["Height"].int64Value,
                let columns = UInt16(exactly: width), let rows = UInt16(exactly: height)
            else { return .ignored }
            return .resize(columns: columns, rows: rows)
        case Self.close where self == .v5:
            return payload == [Self.stdin] ? .closeStdin : .ignored
        default:
            return .ignored
        }
    }

    /// A message for the client on `channel`.
    static func frame(_ channel: UInt8, _ payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(payload.count + 1)
        bytes.append(channel)
        bytes += payload
        return bytes
    }
}

/// The status the kubelet writes on channel 3 when the process ends: client-go turns
/// `NonZeroExitCode` into an exit error carrying the code (so kubectl exits with it),
/// and any other failure into an error with its message.
enum PodExecStatus {
    static func exited(_ code: Int32, command: [String]) -> JSONValue {
        guard code != 0 else { return ["metadata": .emptyObject, "status": "Success"] }
        // client-go parses the cause as an 8-bit unsigned number; a shell reports
        // codes the same way.
        let reported = UInt8(truncatingIfNeeded: code)
        let commandText = "[" + command.joined(separator: " ") + "]"
        return [
            "metadata": .emptyObject, "status": "Failure",
            "message": .string(
                "command terminated with non-zero exit code: error executing command \(commandText), exit code \(reported)"),
            "reason": "NonZeroExitCode",
            "details": ["causes": [["reason": "ExitCode", "message": .string(String(reported))]]],
        ]
    }

    /// A failure to start or run the process: an `APIStatus` from the node as is,
    /// anything else as the kubelet's internal error.
    static func failed(_ error: any Error) -> JSONValue {
        let status = (error as? APIStatus) ?? .internalError("error executing command in container: \(error)")
        return status.json
    }
}
