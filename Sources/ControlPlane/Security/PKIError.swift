/// Why the cluster's certificates, token or kubeconfig could not be loaded or written.
///
/// It names the step and the file so that `skiffd` can print one line an operator can act
/// on ("parsing the CA certificate /var/lib/skiff/tls/ca.crt: …") instead of a bare
/// library error.
public struct PKIError: Error, Sendable, CustomStringConvertible {
    /// What was being done, as a phrase: `reading the CA key`, `issuing the server certificate`.
    public var step: String
    /// The file involved; empty when the step touches no file.
    public var path: String
    /// The underlying cause (errno text or the library's message).
    public var message: String

    public init(step: String, path: String = "", message: String) {
        self.step = step
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? "\(step): \(message)" : "\(step) \(path): \(message)"
    }
}
