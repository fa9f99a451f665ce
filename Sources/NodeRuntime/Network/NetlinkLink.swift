import CShims

/// A network interface as the kernel reports it (RTM_NEWLINK), for checks
/// after setup and for finding what teardown must remove.
package struct NetlinkLink: Hashable, Sendable, CustomStringConvertible {
    package var index: Int32
    package var name: String
    /// IFLA_INFO_KIND: "bridge", "veth", ... ; empty for loopback and hardware.
    package var kind: String
    package var mtu: UInt32
    /// IFF_* flags.
    package var flags: UInt32
    /// The bridge this link is enslaved to, 0 when none.
    package var masterIndex: Int32
    /// IFLA_LINK: for a veth, its peer's ifindex in the peer's namespace; 0 when none.
    package var peerIndex: Int32
    /// IF_OPER_*: 6 up, 2 down, 3 lower layer down (no carrier), 0 unknown (loopback).
    package var operState: UInt8

    /// IFF_UP: administratively up.
    package var isUp: Bool { flags & 0x1 != 0 }
    /// IFF_LOWER_UP: carrier (a veth has it when both ends are up).
    package var hasCarrier: Bool { flags & 0x1_0000 != 0 }

    init(_ raw: skiff_nl_link) {
        index = raw.index
        name = NetlinkCString.string(raw.name)
        kind = NetlinkCString.string(raw.kind)
        mtu = raw.mtu
        flags = raw.flags
        masterIndex = raw.master
        peerIndex = raw.link
        operState = raw.operstate
    }

    package var description: String {
        "\(index): \(name)\(kind.isEmpty ? "" : " (\(kind))") mtu \(mtu)\(isUp ? " up" : " down")"
            + (masterIndex > 0 ? " master \(masterIndex)" : "")
    }
}
