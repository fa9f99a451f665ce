import ArgumentParser
import ControlPlane
import Foundation
import Logging
import NodeAgent
import NodeRuntime
import SkiffClient

/// `skiffd`: the daemon. `skiffd server` runs the control plane (the
/// Kubernetes API over HTTPS on an embedded SQLite store) and, unless
/// `--disable-agent`, the node runtime in the same process, as `k3s server`
/// does: it imports the image archives waiting in DATA_DIR/images, re-adopts
/// the pods and containers a previous run left running, and keeps them until
/// SIGTERM.
@main
struct Skiffd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skiffd",
        abstract: "Skiff node daemon (control plane and/or node agent).",
        version: "0.1.0",
        subcommands: [Server.self],
        defaultSubcommand: Server.self
    )

    struct Server: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "server", abstract: "Run the API server and the node runtime with their embedded defaults.")

        @Option(help: "Persistent data: the store, TLS files, kubeconfig.yaml, images, container layers, logs.")
        var dataDir = "/var/lib/skiff"
        @Option(help: "HTTPS port of the API server (0 picks a free one; the kubeconfig names it).")
        var port = 6443
        @Option(help: "Address the API server listens on.")
        var bindAddress = "0.0.0.0"
        @Option(help: "This node's IP: added to the server certificate and announced in discovery.")
        var nodeIP: String?
        @Flag(help: "Run only the control plane, no node runtime.")
        var disableAgent = false
        @Flag(help: "Debugging only: accept requests without a token.")
        var insecureAllowAnonymous = false
        @Option(help: "Seconds between compactions of the store's history.")
        var compactionInterval = 300
        @Option(help: "Revisions of history kept at each compaction (older watches get 410 Expired).")
        var compactionKeep = 1000
        @Option(help: "Runtime state that lives until reboot.")
        var stateDir = "/run/skiff"
        @Option(help: "Log level (trace, debug, info, notice, warning, error).")
        var logLevel = "info"
        @Option(help: "Run the node inside this named network namespace (/run/netns/NAME): bridge, pod veths and nftables rules stay in it.")
        var nodeNetns: String?
        @Option(help: "Pod addresses of the whole cluster.")
        var clusterCIDR = "10.42.0.0/16"
        @Option(help: "Service virtual IPs.")
        var serviceCIDR = "10.43.0.0/16"
        @Option(help: "Prefix length of this node's pod subnet (24 holds 253 pods, 22 holds 1,021).")
        var nodeSubnetPrefix = 24
        @Option(help: "Which node subnet of the cluster CIDR this node owns.")
        var nodeIndex = 0
        @Flag(help: "No pod network: pods get loopback only.")
        var disablePodNetwork = false
        @Option(help: "The cgroup (under the cgroup root) every pod lives under.")
        var cgroupParent = "skiff"
        @Option(help: "This node's name (default: the host name, lowercased).")
        var nodeName: String?
        @Option(help: "Most pods this node runs (kubelet --max-pods).")
        var maxPods = 250
        @Option(help: "Seconds between full re-syncs of every pod (secret and configMap volumes refreshed).")
        var podResyncSeconds = 10
        @Option(help: "First CrashLoopBackOff delay in seconds (doubles per restart, capped at 300).")
        var crashLoopBackoffSeconds = 10
        @Option(help: "How the Service proxy programs the node (nftables or iptables).")
        var proxyMode: ProxyMode = .nftables
        @Option(help: "NodePorts the Service proxy accepts (FIRST-LAST).")
        var serviceNodePortRange = "30000-32767"
        @Option(help: "Addresses handed to type: LoadBalancer Services (default: none, they stay pending).")
        var loadBalancerCIDR: String?
        @Option(help: "Controllers to run, as kube-controller-manager reads it: * is all, -name turns one off (scheduler included).")
        var controllers = "*"
        @Option(help: "Seconds a node may stay silent before it is marked Unknown and its pods are evicted.")
        var nodeMonitorGracePeriod = 40

        func run() async throws {
            MemoryTuning.limitArenas()
            let trimming = MemoryTuning.trimPeriodically()
            defer { trimming.cancel() }
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = Logger.Level(rawValue: logLevel) ?? .info
                return handler
            }
            let log = Logger(label: "skiffd")
            let storage = try await SQLiteStorage.open(path: SQLiteStorage.databasePath(inDataDirectory: dataDir))
            let agentSlot = AgentSlot()
            var options = APIServerOptions(
                dataDirectory: URL(fileURLWithPath: dataDir), bindAddress: bindAddress, port: port,
                advertiseAddress: nodeIP, serviceCIDR: serviceCIDR, allowAnonymous: insecureAllowAnonymous)
            if !disableAgent { options.podStreaming = AgentPodStreaming(slot: agentSlot) }
            options.controllers = try APIServerOptions.controllers(parsing: controllers)
            options.nodeMonitorGracePeriod = .seconds(max(1, nodeMonitorGracePeriod))
            let ports = try NodeProxyLauncher.portRange(serviceNodePortRange)
            options.nodePortRange = Int64(ports.lowerBound)...Int64(ports.upperBound)
            options.compactionInterval = .seconds(max(1, compactionInterval))
            options.compactionKeep = Int64(max(0, compactionKeep))
            let api = try await APIServer.start(options: options, storage: storage, logger: Logger(label: "skiffd.api"))
            log.info("control plane ready", metadata: ["port": "\(api.port)", "kubeconfig": "\(api.kubeconfigURL.path)"])
            guard !disableAgent else {
                let signal = await ShutdownSignal.wait()
                log.info("shutting down", metadata: ["signal": "\(signal)"])
                await api.stop()
                log.debug("API server stopped")
                try await storage.close()
                log.debug("store closed")
                return
            }
            var network: PodNetwork.Config?
            if !disablePodNetwork {
                network = PodNetwork.Config(
                    network: try NetworkConfig(
                        clusterCIDR: clusterCIDR, nodeSubnetPrefixLength: nodeSubnetPrefix, serviceCIDR: serviceCIDR),
                    nodeIndex: nodeIndex, nodeNetnsPath: nodeNetns.map { "/run/netns/\($0)" },
                    ipamDirectory: "\(dataDir)/ipam")
            }
            let runtime = try RuntimeService(
                config: RuntimeConfig(dataDir: dataDir, stateDir: stateDir, cgroupParent: cgroupParent, network: network))
            let inbox = ImageInbox(directory: runtime.config.imageInboxDir, store: runtime.images)
            for outcome in await inbox.importAll() {
                switch outcome {
                case .imported(let file, let tags):
                    log.info("imported image archive", metadata: ["file": "\(file)", "tags": "\(tags.joined(separator: ","))"])
                case .failed(let file, let error):
                    log.error("image archive not imported", metadata: ["file": "\(file)", "error": "\(error)"])
                }
            }
            let recovered = try await runtime.recover()
            if let warning = NeighbourTableCheck.warning(maxPods: maxPods) { log.warning("\(warning)") }
            log.info(
                "node runtime ready",
                metadata: [
                    "dataDir": "\(dataDir)", "stateDir": "\(stateDir)",
                    "sandboxes": "\(recovered.sandboxes)", "runningContainers": "\(recovered.running)",
                    "images": "\((try? runtime.images.list().count) ?? 0)",
                    "podSubnet": "\(runtime.network.map { "\($0.subnet) via \($0.gateway)" } ?? "none")",
                    "nodeNetns": "\(nodeNetns ?? "(daemon's own)")",
                ])
            // Our kube-proxy, next to the kubelet, unless there is no pod network to forward to.
            let proxy = try runtime.network.map { network in
                try NodeProxyLauncher(
                    .init(
                        mode: proxyMode, nodeName: resolvedNodeName, netnsPath: nodeNetns.map { "/run/netns/\($0)" },
                        clusterCIDR: "\(network.config.network.clusterCIDR)", nodePortRange: serviceNodePortRange,
                        loadBalancerCIDR: loadBalancerCIDR, kubeconfig: api.kubeconfigURL.path),
                    logger: Logger(label: "skiffd.proxy"))
            }
            let agent = try makeAgent(runtime: runtime, kubeconfig: api.kubeconfigURL.path, proxy: proxy, log: log)
            agentSlot.set(agent)
            let agentStart = Task { await agent.start() }
            let signal = await ShutdownSignal.wait()
            log.info("shutting down; pods keep running and are re-adopted at the next start", metadata: ["signal": "\(signal)"])
            // The Service rules stay: forwarding goes on until the next start takes them over.
            await proxy?.stop()
            agentStart.cancel()
            await agent.stop()
            await api.stop()
            await runtime.shutdown()
            try await storage.close()
        }
    
        /// `--node-name`, or the host name's first label, lowercased.
        private var resolvedNodeName: String {
            (nodeName ?? ProcessInfo.processInfo.hostName).lowercased()
                .split(separator: ".").first.map(String.init) ?? "skiff"
        }

        /// The kubelet half: it reaches the API server as any node would, over
        /// HTTPS with the kubeconfig the server just wrote.
        private func makeAgent(runtime: RuntimeService, kubeconfig: String, proxy: NodeProxyLauncher?, log: Logger) throws
            -> NodeAgent
        {
            let settings = try Kubeconfig.load(path: kubeconfig).resolve(context: nil)
            let client = try APIClient(settings: settings)
            let name = resolvedNodeName
            // Without --node-ip the node is reached at its pod bridge's address, which exists in
            // the node's network namespace whether or not it has other interfaces.
            let address = nodeIP ?? runtime.network.map { "\($0.gateway)" } ?? "127.0.0.1"
            var config = NodeAgentConfig(
                nodeName: name, nodeIP: address, podsDirectory: "\(dataDir)/pods", storageDirectory: "\(dataDir)/storage")
            config.nodeNetnsPath = nodeNetns.map { "/run/netns/\($0)" }
            config.podCIDR = runtime.network.map { "\($0.subnet)" }
            config.maxPods = maxPods
            config.nodeLabels = ["node-role.kubernetes.io/control-plane": "true"]
            config.resyncInterval = .seconds(max(1, podResyncSeconds))
            config.initialBackoff = .seconds(max(1, crashLoopBackoffSeconds))
            if let proxy { config.waitUntilUnrouted = { ip in await proxy.waitUntilUnrouted(ip) } }
            return NodeAgent(config: config, runtime: runtime, api: AgentAPI(transport: client), logger: Logger(label: "skiffd.agent"))
        }
    }
}
