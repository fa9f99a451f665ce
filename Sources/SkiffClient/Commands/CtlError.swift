import SkiffAPI

/// A failed ctl command, printed as kubectl prints the same failure, exit code 1.
public enum CtlError: Error, Sendable, CustomStringConvertible {
    /// The server refused: `Error from server (NotFound): deployments.apps "x" not found`;
    /// `context` goes between the prefix and the message (`error when creating "F": `).
    case server(APIStatus, context: String)
    /// The server could not be reached, or the kubeconfig is unusable; printed bare, as
    /// kubectl prints `The connection to the server … was refused …`.
    case connection(ClientError)
    /// Anything else: `error: <message>`.
    case message(String)

    public static func server(_ status: APIStatus) -> CtlError { .server(status, context: "") }

    /// The line(s) to print on standard error.
    public var description: String {
        switch self {
        case .server(let status, let context):
            return "Error from server (\(status.reason.rawValue)): \(context)\(status.message)"
        case .connection(let error):
            return error.kind == .kubeconfig ? "error: \(error.message)" : error.message
        case .message(let message):
            return "error: \(message)"
        }
    }

    /// The API status when the server refused, for callers that branch on the reason.
    public var status: APIStatus? {
        if case .server(let status, _) = self { return status }
        return nil
    }
}

extension CtlError {
    init(_ error: ManifestError) { self = .message(error.description) }
}
