import Foundation
import NodeRuntime

/// Why the proxy refused or failed a change. `invalid` names the Service and
/// the field the way the API server would; nothing of a refused state is applied.
package enum DataplaneError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Bad desired state: refused before anything was programmed.
    case invalid(service: ServiceID, field: String, message: String)
    /// The kernel refused a transaction (errno and the step that failed).
    case kernel(step: String, errno: Int32)
    /// A helper program (iptables-restore) failed.
    case command(step: String, status: Int32, output: String)

    package var description: String {
        switch self {
        case .invalid(let service, let field, let message):
            "service \"\(service)\" is invalid: \(field): \(message)"
        case .kernel(let step, let errno):
            SystemError(step, errno: errno).description
        case .command(let step, let status, let output):
            "\(step): exit status \(status): \(output.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
    }
}
