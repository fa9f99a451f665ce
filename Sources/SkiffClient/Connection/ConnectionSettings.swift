/// Everything needed to talk to one API server, resolved from a kubeconfig context (or
/// given directly, as `skiffd`'s own agents do).
public struct ConnectionSettings: Sendable, Hashable {
    /// `https://HOST:PORT`, without a trailing path.
    public var server: String
    /// The only CA trusted for the server's certificate; nil trusts the system roots.
    public var caPEM: String?
    /// Skip verifying the server's certificate (kubeconfig `insecure-skip-tls-verify`).
    public var insecureSkipTLSVerify: Bool
    /// Sent as `Authorization: Bearer <token>` on every request.
    public var token: String?
    /// The namespace of the context; `default` when it names none.
    public var namespace: String
    /// A client certificate and its key in PEM, for kubeconfigs that authenticate with one
    /// (k3s's own admin kubeconfig does).
    public var clientCertificatePEM: String?
    public var clientKeyPEM: String?

    public init(
        server: String, caPEM: String? = nil, insecureSkipTLSVerify: Bool = false, token: String? = nil,
        namespace: String = "default", clientCertificatePEM: String? = nil, clientKeyPEM: String? = nil
    ) {
        self.server = server
        self.caPEM = caPEM
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.token = token
        self.namespace = namespace
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
    }
}
