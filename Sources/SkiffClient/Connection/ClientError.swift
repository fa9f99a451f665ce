/// Why `skiff` could not reach the API server or could not read its kubeconfig.
///
/// Messages follow kubectl's where kubectl has one, so that a user who knows one tool
/// recognises the other's failures; the `kind` lets callers branch (e.g. retry on
/// `connectionRefused` while `skiffd` starts).
public struct ClientError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The kubeconfig is missing, unreadable, malformed or incomplete.
        case kubeconfig
        /// Nothing listens at the server's address.
        case connectionRefused
        /// The TLS handshake failed: untrusted or mismatched certificate, bad client key.
        case tls
        /// Connecting took longer than the connect timeout.
        case timeout
        /// The task was cancelled while the request was in flight.
        case cancelled
        /// Any other network failure (DNS, reset, connection closed early).
        case transport
        /// The request could not be formed (bad server URL, bad header value).
        case invalidRequest
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
