import ArgumentParser
import Dataplane
import Logging
import NodeProxy
import NodeRuntime
import SkiffClient

/// `--proxy-mode`: which dataplane backend programs the Services.
enum ProxyMode: String, ExpressibleByArgument, CaseIterable {
    case nftables
    case iptables
}

/// The node's Service proxy as `skiffd` runs it: a task watching the API
/// server over HTTPS with its own client, driving the dataplane in the node's
/// network namespace. `stop()` ends the watch but keeps the rules, as
/// kube-proxy does on exit: Services keep forwarding while the daemon
/// restarts, and the next run takes the table over in place.
final class NodeProxyLauncher: Sendable {
    private let task: Task<Void, Never>
    private let dataplane: ServiceProxy
    private let client: APIClient

    struct Settings {
        var mode: ProxyMode
        var nodeName: String
        var netnsPath: String?
        var clusterCIDR: String
        var nodePortRange: String
        var loadBalancerCIDR: String?
        var kubeconfig: String
    }

    init(_ settings: Settings, logger: Logger) throws {
        let config = DataplaneConfig(
            netnsPath: settings.netnsPath,
            podCIDRs: [try IPv4Network(parsing: settings.clusterCIDR, field: "--cluster-cidr")],
            nodePortRange: try Self.portRange(settings.nodePortRange))
        let backend: any ProxyBackend = switch settings.mode {
        case .nftables: try NFTablesBackend(config: config)
        case .iptables: try IPTablesBackend(config: config)
        }
        let proxyConfig = NodeProxyConfig(
            nodeName: settings.nodeName,
            loadBalancerCIDR: try settings.loadBalancerCIDR.map { try IPv4Network(parsing: $0, field: "--load-balancer-cidr") })
        let dataplane = ServiceProxy(config: config, backend: backend, logger: logger)
        let client = try APIClient(settings: try Kubeconfig.load(path: settings.kubeconfig).resolve(context: nil))
        let proxy = NodeProxy(config: proxyConfig, dataplane: dataplane, transport: client, logger: logger)
        self.dataplane = dataplane
        self.client = client
        task = Task { await proxy.run() }
    }

    /// Returns once no Service rule forwards to `ip` (the endpoints
    /// controller has marked the pod terminating and the proxy has programmed
    /// that), or after `limit`: the last endpoint of a Service keeps serving
    /// while it terminates, and a pod in no Service is never in the table.
    func waitUntilUnrouted(_ ip: String, limit: Duration = .seconds(2)) async {
        guard let address = try? IPv4Address(parsing: ip, field: "pod IP") else { return }
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline, !Task.isCancelled {
            if await !dataplane.table().backendIPs.contains(address) { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    func stop() async {
        task.cancel()
        await task.value
        do {
            try await dataplane.stop(removeRules: false)
        } catch {
            Logger(label: "skiffd.proxy").warning("stopping the dataplane failed", metadata: ["error": "\(error)"])
        }
        await client.shutdown()
    }

    /// `30000-32767`, as kube-apiserver's `--service-node-port-range` reads it.
    static func portRange(_ text: String) throws -> ClosedRange<UInt16> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let low = UInt16(parts[0]), let high = UInt16(parts[1]), low > 0, low <= high else {
            throw ValidationError("--service-node-port-range \"\(text)\": expected FIRST-LAST, e.g. 30000-32767")
        }
        return low...high
    }
}
