/// Why a pod's logs or exec cannot be served; the API server relays these as
/// 400 Bad Request or 404 Not Found with the message, as kubelet's errors reach kubectl.
package enum PodStreamError: Error, Sendable, CustomStringConvertible {
    case badRequest(String)
    case notFound(String)

    package var description: String {
        switch self {
        case .badRequest(let message), .notFound(let message): message
        }
    }
}
