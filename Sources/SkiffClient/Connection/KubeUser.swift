/// A `users[].user` entry of a kubeconfig: the credentials sent to the API server.
public struct KubeUser: Sendable, Hashable {
    /// `token`: a bearer token.
    public var token: String?
    /// `tokenFile`: a file holding the bearer token; read at every `resolve`, so a rotated
    /// token is picked up. Relative paths are relative to the kubeconfig.
    public var tokenFile: String?
    /// `client-certificate`: a PEM file (relative paths are relative to the kubeconfig).
    public var clientCertificate: String?
    /// `client-certificate-data`, base64-decoded PEM.
    public var clientCertificateData: String?
    /// `client-key`: a PEM file (relative paths are relative to the kubeconfig).
    public var clientKey: String?
    /// `client-key-data`, base64-decoded PEM.
    public var clientKeyData: String?

    public init(
        token: String? = nil, tokenFile: String? = nil, clientCertificate: String? = nil,
        clientCertificateData: String? = nil, clientKey: String? = nil, clientKeyData: String? = nil
    ) {
        self.token = token
        self.tokenFile = tokenFile
        self.clientCertificate = clientCertificate
        self.clientCertificateData = clientCertificateData
        self.clientKey = clientKey
        self.clientKeyData = clientKeyData
    }
}
