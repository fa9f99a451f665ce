/// The transport protocols a Service port can forward.
package enum L4Protocol: String, Sendable, Hashable, Comparable, CaseIterable {
    case tcp = "TCP"
    case udp = "UDP"
    case sctp = "SCTP"

    /// The IP protocol number (what `meta l4proto` and `-p` compare).
    package var number: UInt8 {
        switch self {
        case .tcp: 6
        case .udp: 17
        case .sctp: 132
        }
    }

    /// The lower-case name nft and iptables use.
    package var keyword: String { rawValue.lowercased() }

    package static func < (lhs: L4Protocol, rhs: L4Protocol) -> Bool { lhs.number < rhs.number }
}
