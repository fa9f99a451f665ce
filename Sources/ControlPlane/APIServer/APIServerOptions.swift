import Foundation

/// How `skiffd server` runs the API: where its state lives and where it listens.
public struct APIServerOptions: Sendable {
    /// Holds `tls/`, `token`, `kubeconfig.yaml` and the SQLite store (`/var/lib/skiff`).
    public var dataDirectory: URL
    public var bindAddress: String
    /// 0 picks a free port (tests); the kubeconfig names the port actually bound.
    public var port: Int
    /// The node's address, added to the server certificate and announced in discovery.
    public var advertiseAddress: String?
    public var serviceCIDR: String
    /// Debugging only: serve without authentication (still over TLS).
    public var allowAnonymous: Bool
    /// How often old history is compacted, and how many revisions are kept.
    public var compactionInterval: Duration = .seconds(300)
    public var compactionKeep: Int64 = 1000
    /// The node side of `pods/log` and `pods/exec` (the node agent, as a kubelet).
    /// Nil when no node runs here: those requests then fail with 503 ServiceUnavailable.
    public var podStreaming: (any PodStreaming)?
    /// How long a node may stay silent (no Lease renewal, no status) before it
    /// is marked Unknown and tainted unreachable (`--node-monitor-grace-period`).
    public var nodeMonitorGracePeriod: Duration = .seconds(40)
    /// `--service-node-port-range`: what the allocator hands out and accepts
    /// (the node's proxy is given the same range).
    public var nodePortRange: ClosedRange<Int64> = 30000...32767
    /// The in-server controllers and the scheduler that run (all by default),
    /// by their kube-controller-manager names.
    public var controllers: Set<String> = Set(Self.controllerNames)

    /// What `--controllers` may name, as kube-controller-manager 1.32 names
    /// them, plus the scheduler.
    public static let controllerNames = [
        "namespace-controller", "garbage-collector-controller", "replicaset-controller", "deployment-controller",
        "daemonset-controller", "statefulset-controller", "job-controller", "endpoints-controller",
        "endpointslice-controller", "node-lifecycle-controller", "scheduler",
    ]

    /// Reads kube-controller-manager's `--controllers` syntax: a comma list
    /// where `*` is every controller and `-name` turns one off.
    public static func controllers(parsing text: String) throws(APIServerError) -> Set<String> {
        var enabled: Set<String> = []
        var disabled: Set<String> = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            if item == "*" {
                enabled.formUnion(controllerNames)
                continue
            }
            let off = item.hasPrefix("-")
            let name = off ? String(item.dropFirst()) : item
            guard controllerNames.contains(name) else {
                throw APIServerError(
                    step: "--controllers", message: "\"\(name)\" is not a controller; known: *, \(controllerNames.joined(separator: ", "))")
            }
            if off { disabled.insert(name) } else { enabled.insert(name) }
        }
        return enabled.subtracting(disabled)
    }

    public init(
        dataDirectory: URL, bindAddress: String = "0.0.0.0", port: Int = 6443, advertiseAddress: String? = nil,
        serviceCIDR: String = "10.43.0.0/16", allowAnonymous: Bool = false
    ) {
        self.dataDirectory = dataDirectory
        self.bindAddress = bindAddress
        self.port = port
        self.advertiseAddress = advertiseAddress
        self.serviceCIDR = serviceCIDR
        self.allowAnonymous = allowAnonymous
    }

    public var kubeconfigURL: URL { dataDirectory.appendingPathComponent("kubeconfig.yaml") }
}
