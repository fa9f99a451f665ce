import Foundation

/// The node's pod network (the role flannel plays in the walkthrough): a
/// bridge holding the gateway of the node's pod subnet, IPv4 forwarding,
/// egress masquerade in the `skiff` nftables table, an IPAM, and one veth
/// per pod sandbox. Everything is programmed through netlink and libnftables
/// in the node's network namespace (the daemon's own, or the one named by
/// `--node-netns`), never by running `ip` or `nft`.
package final class PodNetwork: Sendable {
    package struct Config: Sendable {
        package var network: NetworkConfig
        /// Which of the cluster's node subnets this node owns.
        package var nodeIndex: Int
        /// The node's netns (nsfs path); nil is the daemon's own.
        package var nodeNetnsPath: String?
        /// Where the IPAM keeps its records (DATA_DIR/ipam).
        package var ipamDirectory: String
        /// Pod MTU; nil takes the MTU of the node's uplink (the default route's device), else 1500.
        package var mtu: UInt32?

        package init(network: NetworkConfig, nodeIndex: Int = 0, nodeNetnsPath: String? = nil, ipamDirectory: String, mtu: UInt32? = nil) {
            self.network = network
            self.nodeIndex = nodeIndex
            self.nodeNetnsPath = nodeNetnsPath
            self.ipamDirectory = ipamDirectory
            self.mtu = mtu
        }
    }

    package let config: Config
    package let subnet: IPv4Network
    package let gateway: IPv4Address
    package let mtu: UInt32
    private let node: NetlinkHandle
    private let ipam: PodIPAM

    /// Sets the node up (idempotent): bridge with the gateway address, up;
    /// forwarding on; the egress masquerade rule.
    package init(config: Config) throws {
        self.config = config
        subnet = try config.network.nodeSubnet(index: config.nodeIndex)
        gateway = config.network.gateway(of: subnet)
        node = try NetlinkHandle(netnsPath: config.nodeNetnsPath)
        mtu = try config.mtu ?? Self.uplinkMTU(node)
        let bridge = try node.ensureBridge(name: config.network.bridgeName, mtu: mtu, address: gateway, in: subnet)
        try node.setUp(NetlinkLinkReference(bridge), true)
        try Self.routeServices(config.network.serviceCIDR, node: node, bridge: NetlinkLinkReference(bridge))
        let namespace = try NetworkNamespace(path: config.nodeNetnsPath ?? "/proc/thread-self/ns/net")
        try namespace.setIPv4Forwarding(true)
        try NFTables.run(
            NFTables.egressMasqueradeScript(podSubnet: subnet, clusterCIDR: config.network.clusterCIDR),
            netnsPath: config.nodeNetnsPath)
        try StateFile.makeDirectory(config.ipamDirectory, mode: 0o700)
        ipam = try PodIPAM(directory: config.ipamDirectory, subnet: subnet, gateway: gateway)
    }

    /// Service IPs are virtual: the DNAT happens in the output hook, after the
    /// routing decision, so a connect() from the node itself needs some route
    /// for them. A host's default route provides one; a node netns made for
    /// the node (tests, demos, `make run`) has none, and gets the service
    /// range on the bridge.
    private static func routeServices(_ services: IPv4Network, node: NetlinkHandle, bridge: NetlinkLinkReference) throws {
        let covered = try node.routes().contains { route in
            route.type == 1 && route.destination.contains(services)
        }
        if !covered { try node.addRoute(to: services, dev: bridge) }
    }

    /// The host-side veth name of a sandbox: unique per node, ≤ 15 bytes.
    package static func hostInterfaceName(sandboxID: String) -> String {
        "skv" + sandboxID.prefix(12)
    }

    /// Gives the sandbox's netns its `eth0` with an address from the node's
    /// subnet and a default route via the bridge. Idempotent per sandbox for
    /// the address; a failure releases the address and leaves no veth.
    package func attach(sandboxID: String, podNetnsPath: String) throws -> PodNetworkStatus {
        let address = try ipam.allocate(owner: sandboxID)
        let spec = PodInterfaceSpec(
            hostName: Self.hostInterfaceName(sandboxID: sandboxID), bridge: NetlinkLinkReference(name: config.network.bridgeName),
            mtu: mtu, address: address, network: subnet, gateway: gateway)
        do {
            let timings = try PodInterfaceSetup.run(spec, node: node, podNetnsPath: podNetnsPath)
            return PodNetworkStatus(
                ip: address.description, hostInterface: spec.hostName, setupNanos: timings.total,
                vethNanos: timings.veth, podConfigNanos: timings.podConfig + timings.lookup + timings.podSocket)
        } catch {
            _ = try? ipam.release(owner: sandboxID)
            throw error
        }
    }

    /// Removes the sandbox's veth (both ends) and releases its address.
    package func detach(sandboxID: String) throws {
        _ = try PodInterfaceSetup.teardown(hostName: Self.hostInterfaceName(sandboxID: sandboxID), node: node)
        try ipam.release(owner: sandboxID)
    }

    /// The address a sandbox holds (after a restart, for re-adopted pods).
    package func address(of sandboxID: String) throws -> IPv4Address? {
        try ipam.allocation(for: sandboxID)
    }

    /// Frees the addresses of sandboxes that no longer exist.
    package func reconcile(liveSandboxes: Set<String>) throws {
        try ipam.reconcile(liveOwners: liveSandboxes)
    }

    private static func uplinkMTU(_ node: NetlinkHandle) throws -> UInt32 {
        guard let route = try node.routes().first(where: { $0.isDefault }) else { return 1500 }
        let link = try node.link(NetlinkLinkReference(name: "", index: route.outputIndex))
        return link.mtu > 0 ? link.mtu : 1500
    }
}

/// A sandbox's network as the node agent reports it (status.podIP).
package struct PodNetworkStatus: Codable, Equatable, Sendable {
    package var ip: String
    package var hostInterface: String
    /// veth + move + address + route, for the pod-start breakdown.
    package var setupNanos: UInt64
    /// The veth pair created with its peer inside the pod netns (includes the move).
    package var vethNanos: UInt64
    /// Address, links up and default route inside the pod netns (with its socket and lookups).
    package var podConfigNanos: UInt64
}
