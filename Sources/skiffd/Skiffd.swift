import ArgumentParser
import Foundation
import Logging
import NodeRuntime

/// `skiffd`: the node daemon. Today it runs the node runtime: it imports the
/// image archives waiting in DATA_DIR/images, re-adopts the pods and
/// containers a previous run left running, and keeps them until SIGTERM.
/// The API server and the agent that drives pods from it come next.
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
            commandName: "server", abstract: "Run the node runtime with its embedded defaults.")

        @Option(help: "Persistent data: images, container layers, logs.")
        var dataDir = "/var/lib/skiff"
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

        func run() async throws {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = Logger.Level(rawValue: logLevel) ?? .info
                return handler
            }
            let log = Logger(label: "skiffd")
            var network: PodNetwork.Config?
            if !disablePodNetwork {
                network = PodNetwork.Config(
                    network: try NetworkConfig(
                        clusterCIDR: clusterCIDR, nodeSubnetPrefixLength: nodeSubnetPrefix, serviceCIDR: serviceCIDR),
                    nodeIndex: nodeIndex, nodeNetnsPath: nodeNetns.map { "/run/netns/\($0)" },
                    ipamDirectory: "\(dataDir)/ipam")
            }
            let runtime = try RuntimeService(
                config: RuntimeConfig(dataDir: dataDir, stateDir: stateDir, network: network))
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
            log.info(
                "node runtime ready",
                metadata: [
                    "dataDir": "\(dataDir)", "stateDir": "\(stateDir)",
                    "sandboxes": "\(recovered.sandboxes)", "runningContainers": "\(recovered.running)",
                    "images": "\((try? runtime.images.list().count) ?? 0)",
                    "podSubnet": "\(runtime.network.map { "\($0.subnet) via \($0.gateway)" } ?? "none")",
                    "nodeNetns": "\(nodeNetns ?? "(daemon's own)")",
                ])
            let signal = await ShutdownSignal.wait()
            log.info("shutting down; pods keep running and are re-adopted at the next start", metadata: ["signal": "\(signal)"])
            await runtime.shutdown()
        }
    }
}
