import CShims

/// An IPv4 route (RTM_NEWROUTE) from any table.
package struct NetlinkRoute: Hashable, Sendable, CustomStringConvertible {
    /// RT_TABLE_MAIN: where `ip route` and pod routes live.
    package static let mainTable: UInt32 = 254

    package var table: UInt32
    /// The network the route covers; 0.0.0.0/0 is the default route.
    package var destination: IPv4Network
    package var gateway: IPv4Address?
    /// Output interface index, 0 when none.
    package var outputIndex: Int32
    /// RTPROT_*: 2 kernel (connected routes), 4 static (added by skiff).
    package var routingProtocol: UInt8
    /// RT_SCOPE_*: 0 universe, 253 link, 254 host.
    package var scope: UInt8
    /// RTN_*: 1 unicast, 2 local, 3 broadcast.
    package var type: UInt8

    package var isDefault: Bool { destination.prefixLength == 0 }

    init?(_ raw: skiff_nl_route) {
        guard raw.dst_len <= 32 else { return nil }
        table = raw.table
        destination = IPv4Network(unchecked: IPv4Address(netlinkValue: raw.dst), prefixLength: Int(raw.dst_len))
        gateway = raw.gateway == 0 ? nil : IPv4Address(netlinkValue: raw.gateway)
        outputIndex = raw.oif
        routingProtocol = raw.protocol
        scope = raw.scope
        type = raw.type
    }

    package var description: String {
        (isDefault ? "default" : destination.description) + (gateway.map { " via \($0)" } ?? "")
            + (outputIndex > 0 ? " dev #\(outputIndex)" : "") + " table \(table)"
    }
}
