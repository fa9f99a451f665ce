import NodeRuntime

/// Where and how the proxy programs forwarding.
package struct DataplaneConfig: Sendable {
    /// The node's netns (nsfs path); nil is the daemon's own.
    package var netnsPath: String?
    /// Endpoint addresses must lie in one of these (the cluster's pod CIDR):
    /// a Service must never be turned into a DNAT to an arbitrary host.
    package var podCIDRs: [IPv4Network]
    /// `--service-node-port-range`.
    package var nodePortRange: ClosedRange<UInt16>
    /// The packet mark bit that asks postrouting to masquerade (kube-proxy: 0x4000).
    package var masqueradeMark: UInt32
    /// How often the proxy checks that its table is still what it programmed.
    package var repairInterval: Duration

    package init(
        netnsPath: String? = nil, podCIDRs: [IPv4Network], nodePortRange: ClosedRange<UInt16> = 30000...32767,
        masqueradeMark: UInt32 = 0x4000, repairInterval: Duration = .milliseconds(500)
    ) {
        self.netnsPath = netnsPath
        self.podCIDRs = podCIDRs
        self.nodePortRange = nodePortRange
        self.masqueradeMark = masqueradeMark
        self.repairInterval = repairInterval
    }
}
