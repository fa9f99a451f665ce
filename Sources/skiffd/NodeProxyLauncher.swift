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
    private let endpoints: ProgrammedEndpoints
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
        self.endpoints = proxy.endpoints
        self.client = client
        task = Task { await proxy.run() }
    }

    /// Returns once the proxy has programmed `ip` as no longer a ready
    /// endpoint of any Service (the endpoints controllers saw the pod
    /// terminating), or after `limit`: how long that takes grows with the
    /// node's load, and SIGTERM before it means lost requests.
    func waitUntilUnrouted(_ ip: String, limit: Duration = .seconds(10)) async {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline, !Task.isCancelled {
            if !endpoints.isReady(ip) { return }
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
