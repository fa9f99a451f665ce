/// A `contexts[].context` entry of a kubeconfig: which cluster, as which user, in which
/// namespace.
public struct KubeContext: Sendable, Hashable {
    public var cluster: String
    public var user: String
    /// The namespace commands use without `-n`; `default` when empty.
    public var namespace: String?

    public init(cluster: String, user: String, namespace: String? = nil) {
        self.cluster = cluster
        self.user = user
        self.namespace = namespace
    }
}
