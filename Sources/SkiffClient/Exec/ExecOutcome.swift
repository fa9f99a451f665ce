import SkiffAPI

/// How a remote command ended, read from the status the server sends on channel 3 the
/// way client-go's v4/v5 error decoder reads it, so `skiff exec` ends as kubectl does.
public enum ExecOutcome: Equatable, Sendable {
    /// `{"status":"Success"}`, or no status at all (client-go treats an empty error
    /// stream as success).
    case success
    /// `NonZeroExitCode` with an `ExitCode` cause: kubectl prints
    /// `command terminated with exit code N` and exits with N.
    case exited(Int32)
    /// Any other failure: kubectl prints `error: <message>` and exits 1.
    case failed(String)

    /// Decodes the whole of channel 3.
    public init(status bytes: [UInt8]) {
        guard !bytes.isEmpty else {
            self = .success
            return
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let status = try? JSONValue(jsonBytes: bytes), status.objectValue != nil else {
            self = .failed("error stream protocol error: invalid status in \(GoQuote.quote(text))")
            return
        }
        switch status["status"].stringValue {
        case "Success":
            self = .success
        case "Failure":
            guard status["reason"].stringValue == "NonZeroExitCode" else {
                self = .failed(status["message"].stringValue ?? "")
                return
            }
            guard status["details"].objectValue != nil else {
                self = .failed("error stream protocol error: details must be set")
                return
            }
            let causes = status["details"]["causes"].arrayValue ?? []
            guard let cause = causes.first(where: { $0["reason"].stringValue == "ExitCode" }) else {
                self = .failed("error stream protocol error: no ExitCode cause given")
                return
            }
            let value = cause["message"].stringValue ?? ""
            guard let code = UInt8(value) else {
                self = .failed("error stream protocol error: invalid exit code value \(GoQuote.quote(value))")
                return
            }
            self = .exited(Int32(code))
        default:
            self = .failed("error stream protocol error: unknown error")
        }
    }

    /// The process exit code `skiff exec` ends with.
    public var exitCode: Int32 {
        switch self {
        case .success: return 0
        case .exited(let code): return code
        case .failed: return 1
        }
    }

    /// What kubectl prints on standard error for this ending; nil for success.
    public var message: String? {
        switch self {
        case .success: return nil
        case .exited(let code): return "command terminated with exit code \(code)"
        case .failed(let message): return message.hasPrefix("error: ") ? message : "error: \(message)"
        }
    }
}
