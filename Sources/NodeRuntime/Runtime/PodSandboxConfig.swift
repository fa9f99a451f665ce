/// What a pod sandbox is created from (CRI's PodSandboxConfig, the parts a
/// node runtime without a network plugin needs).
package struct PodSandboxConfig: Codable, Equatable, Sendable {
    package var name: String
    package var namespace: String
    package var uid: String
    package var attempt: UInt32
    package var hostname: String
    /// Share the node's network namespace (`hostNetwork: true`).
    package var hostNetwork: Bool
    /// Share the node's IPC namespace (`hostIPC: true`).
    package var hostIPC: Bool
    package var labels: [String: String]
    package var annotations: [String: String]
    /// Where container logs go; defaults to DATA/logs/<namespace>_<name>_<uid>.
    package var logDirectory: String?
    /// Extra /etc/hosts lines (hostAliases).
    package var hostEntries: [String]
    /// Contents for /etc/resolv.conf; nil copies the node's.
    package var resolvConf: String?

    package init(
        name: String, namespace: String = "default", uid: String, attempt: UInt32 = 0, hostname: String? = nil,
        hostNetwork: Bool = false, hostIPC: Bool = false, labels: [String: String] = [:],
        annotations: [String: String] = [:], logDirectory: String? = nil, hostEntries: [String] = [],
        resolvConf: String? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.attempt = attempt
        self.hostname = hostname ?? name
        self.hostNetwork = hostNetwork
        self.hostIPC = hostIPC
        self.labels = labels
        self.annotations = annotations
        self.logDirectory = logDirectory
        self.hostEntries = hostEntries
        self.resolvConf = resolvConf
    }
}
