/// A `clusters[].cluster` entry of a kubeconfig: where the API server is and how to trust it.
public struct KubeCluster: Sendable, Hashable {
    /// `server`: `https://HOST:PORT`.
    public var server: String
    /// `certificate-authority`: a PEM file; relative paths are relative to the kubeconfig.
    public var certificateAuthority: String?
    /// `certificate-authority-data`, base64-decoded: the CA certificates in PEM.
    public var certificateAuthorityData: String?
    /// `insecure-skip-tls-verify`: do not verify the server's certificate at all.
    public var insecureSkipTLSVerify: Bool

    public init(
        server: String, certificateAuthority: String? = nil, certificateAuthorityData: String? = nil,
        insecureSkipTLSVerify: Bool = false
    ) {
        self.server = server
        self.certificateAuthority = certificateAuthority
        self.certificateAuthorityData = certificateAuthorityData
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
    }
}
