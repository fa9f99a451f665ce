import CShims

/// An IPv4 address assigned to an interface (RTM_NEWADDR).
package struct NetlinkAddress: Hashable, Sendable, CustomStringConvertible {
    package var linkIndex: Int32
    package var address: IPv4Address
    /// The on-link network the prefix length implies (10.244.0.0/24 for 10.244.0.2/24).
    package var network: IPv4Network
    package var broadcast: IPv4Address?
    /// IFA_LABEL, the interface name (or an alias label).
    package var label: String

    init?(_ raw: skiff_nl_addr) {
        guard raw.prefix_len <= 32 else { return nil }
        linkIndex = raw.index
        address = IPv4Address(netlinkValue: raw.address)
        network = IPv4Network(unchecked: address, prefixLength: Int(raw.prefix_len))
        broadcast = raw.broadcast == 0 ? nil : IPv4Address(netlinkValue: raw.broadcast)
        label = NetlinkCString.string(raw.label)
    }

    package var description: String { "\(address)/\(network.prefixLength) dev \(label)" }
}
