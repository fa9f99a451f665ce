/// The node's pod network layout: which addresses pods and services get, and
/// the bridge pods hang off.
///
/// Defaults match k3s (cluster CIDR 10.42.0.0/16 cut into one /24 per node,
/// service CIDR 10.43.0.0/16), so addresses look familiar to anyone who has
/// run k3s and the two never collide on a host that runs both in turn.
/// Every initialiser validates, so a `NetworkConfig` that exists is usable.
package struct NetworkConfig: Hashable, Sendable {
    /// The node subnet prefixes accepted: /16 gives one node 65k addresses,
    /// /28 still leaves 13 pod IPs; /22 (1,021 pod IPs) is what a node that
    /// runs 1,000 pods needs.
    package static let nodeSubnetPrefixLengths: ClosedRange<Int> = 16...28
    /// Linux interface names are at most IFNAMSIZ - 1 = 15 bytes.
    package static let maxBridgeNameLength = 15

    /// Every pod IP in the cluster comes from here.
    package let clusterCIDR: IPv4Network
    /// Each node gets one subnet of this prefix length from `clusterCIDR`.
    package let nodeSubnetPrefixLength: Int
    /// Virtual service IPs; must not overlap `clusterCIDR`, or a service IP
    /// could also be some pod's address and traffic would go to the wrong one.
    package let serviceCIDR: IPv4Network
    /// The node-local Linux bridge whose address is the pods' gateway.
    package let bridgeName: String

    /// k3s's layout with the `skiff0` bridge.
    package static var `default`: NetworkConfig {
        NetworkConfig(
            validated: IPv4Network(unchecked: IPv4Address(10, 42, 0, 0), prefixLength: 16),
            nodeSubnetPrefixLength: 24,
            serviceCIDR: IPv4Network(unchecked: IPv4Address(10, 43, 0, 0), prefixLength: 16),
            bridgeName: "skiff0")
    }

    /// Parses and validates a layout given as text, as a config file or flags
    /// hold it. Errors name the setting, e.g.
    /// `cluster CIDR "10.42.0.0/33": prefix length must be 0...32`.
    package init(
        clusterCIDR: String = "10.42.0.0/16",
        nodeSubnetPrefixLength: Int = 24,
        serviceCIDR: String = "10.43.0.0/16",
        bridgeName: String = "skiff0"
    ) throws {
        try self.init(
            clusterCIDR: IPv4Network(parsing: clusterCIDR, field: "cluster CIDR"),
            nodeSubnetPrefixLength: nodeSubnetPrefixLength,
            serviceCIDR: IPv4Network(parsing: serviceCIDR, field: "service CIDR"),
            bridgeName: bridgeName)
    }

    /// Validates a layout: the node subnet prefix is in
    /// `nodeSubnetPrefixLengths` and fits in the cluster CIDR, the service CIDR
    /// does not overlap the cluster CIDR, and the bridge name is a valid
    /// interface name.
    package init(
        clusterCIDR: IPv4Network,
        nodeSubnetPrefixLength: Int,
        serviceCIDR: IPv4Network,
        bridgeName: String
    ) throws {
        let prefixes = Self.nodeSubnetPrefixLengths
        guard prefixes.contains(nodeSubnetPrefixLength) else {
            throw RuntimeError(
                "node subnet prefix length \(nodeSubnetPrefixLength): must be \(prefixes.lowerBound)...\(prefixes.upperBound)")
        }
        guard nodeSubnetPrefixLength >= clusterCIDR.prefixLength else {
            throw RuntimeError(
                "node subnet prefix length \(nodeSubnetPrefixLength): a /\(nodeSubnetPrefixLength) node subnet does not fit in cluster CIDR \(clusterCIDR)")
        }
        guard !serviceCIDR.overlaps(clusterCIDR) else {
            throw RuntimeError("service CIDR \"\(serviceCIDR)\": overlaps cluster CIDR \(clusterCIDR)")
        }
        try Self.validateBridgeName(bridgeName)
        self.init(
            validated: clusterCIDR, nodeSubnetPrefixLength: nodeSubnetPrefixLength,
            serviceCIDR: serviceCIDR, bridgeName: bridgeName)
    }

    private init(validated clusterCIDR: IPv4Network, nodeSubnetPrefixLength: Int, serviceCIDR: IPv4Network, bridgeName: String) {
        self.clusterCIDR = clusterCIDR
        self.nodeSubnetPrefixLength = nodeSubnetPrefixLength
        self.serviceCIDR = serviceCIDR
        self.bridgeName = bridgeName
    }

    /// How many nodes the cluster CIDR has subnets for (256 for /16 into /24s).
    package var nodeSubnetCount: Int {
        clusterCIDR.subnetCount(prefixLength: nodeSubnetPrefixLength)
    }

    /// The pod subnet of the node with this index: node 0 gets 10.42.0.0/24,
    /// node 1 10.42.1.0/24 (with /22: 10.42.0.0/22, 10.42.4.0/22). The index
    /// is the node's stable number in the cluster, not a join order, so a
    /// rejoining node keeps its subnet and its pods' addresses stay valid.
    package func nodeSubnet(index: Int) throws -> IPv4Network {
        let count = nodeSubnetCount
        guard index >= 0, index < count else {
            throw RuntimeError(
                "node index \(index): cluster CIDR \(clusterCIDR) holds \(count) /\(nodeSubnetPrefixLength) node subnets (index 0...\(count - 1))")
        }
        return try clusterCIDR.subnet(index, prefixLength: nodeSubnetPrefixLength)
    }

    /// The bridge's address in a node subnet, which pods use as their default
    /// route: the first host (10.42.0.1 in 10.42.0.0/24), as k3s's flannel
    /// bridge (cni0) does, so it is easy to recognise in `ip route`.
    package func gateway(of nodeSubnet: IPv4Network) -> IPv4Address {
        nodeSubnet.firstHost
    }

    /// A name the kernel accepts for a new interface: 1...15 bytes, no `/`,
    /// no whitespace or control characters, and not `.` or `..` (the kernel's
    /// `dev_valid_name`), checked here so a bad config fails at start-up
    /// instead of as an `EINVAL` from netlink.
    private static func validateBridgeName(_ name: String) throws {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= maxBridgeNameLength else {
            throw RuntimeError("bridge name \"\(name)\": must be 1...\(maxBridgeNameLength) bytes long")
        }
        guard name != ".", name != "..",
              !bytes.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ":") || $0 <= 0x20 || $0 == 0x7F })
        else {
            throw RuntimeError("bridge name \"\(name)\": must not be \".\" or \"..\" or contain \"/\", \":\", whitespace or control characters")
        }
    }
}
