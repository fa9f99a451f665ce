import Foundation

/// How the agent runs its node: identity, limits and the timings Kubernetes
/// users know from kubelet's flags (with kubelet's defaults).
package struct NodeAgentConfig: Sendable {
    package var nodeName: String
    /// The address other nodes and the API server reach this node at (status.addresses InternalIP, pods' hostIP).
    package var nodeIP: String
    /// Where pod IPs are reachable from: the node network namespace (nil: the daemon's own).
    package var nodeNetnsPath: String?
    /// This node's pod subnet (spec.podCIDR).
    package var podCIDR: String?
    /// kubelet `--max-pods`; 250 here (kubelet's default is 110) since pods cost less.
    package var maxPods: Int = 250
    /// Labels added to the Node at registration (`node-role.kubernetes.io/control-plane` for `skiffd server`).
    package var nodeLabels: [String: String] = [:]
    /// Per-pod state that outlives the daemon: volumes (DATA/pods/<uid>/volumes/…).
    package var podsDirectory: String
    /// Local-path persistent volumes (DATA/storage/<pv>).
    package var storageDirectory: String
    /// Lease duration (kubelet: 40 s) and how often it is renewed (kubelet: every 10 s).
    package var leaseDurationSeconds: Int = 40
    package var leaseRenewInterval: Duration = .seconds(10)
    /// The first CrashLoopBackOff delay (kubelet: 10 s), doubled per restart up to `maxBackoff`.
    package var initialBackoff: Duration = .seconds(10)
    package var maxBackoff: Duration = .seconds(300)
    /// A container that ran this long before exiting starts its back-off over (kubelet: 10 min).
    package var backoffReset: Duration = .seconds(600)
    /// How often every pod is re-synced (secret and configMap volumes refreshed, missing images and objects retried).
    package var resyncInterval: Duration = .seconds(10)
    /// Pods waiting for something (an image, a Secret) are retried this often.
    package var retryInterval: Duration = .seconds(2)
    /// Called with a deleted pod's IP before its containers are told to stop;
    /// returns once this node's Service proxy no longer sends new connections
    /// to it (or gives up). kubelet sends SIGTERM at once and races the
    /// endpoint removal, which is why Kubernetes users add `preStop: sleep`;
    /// here the proxy runs in the same process, so the agent can simply wait
    /// for it and a rolling update loses no request.
    package var waitUntilUnrouted: (@Sendable (String) async -> Void)?

    package init(nodeName: String, nodeIP: String, podsDirectory: String, storageDirectory: String) {
        self.nodeName = nodeName
        self.nodeIP = nodeIP
        self.podsDirectory = podsDirectory
        self.storageDirectory = storageDirectory
    }
}
