/// A group of frontends that one rule of the `services` chain serves: same
/// kind of key (Service IP or NodePort), same protocol, same masquerade
/// choice, same endpoint count. The protocol is in the class because
/// `dnat ip to addr . port` needs the protocol of the port it writes (nft
/// adds a `meta l4proto` check for it), so each protocol has its maps. The count is in the class because nftables' `numgen
/// random mod N` takes N as a constant: one rule per count in use keeps the
/// choice exact (1/N for every N) with data-only elements, instead of per-Service
/// chains whose `goto` elements make the kernel re-validate the table.
package struct NFTClass: Hashable, Sendable, Comparable {
    package var nodePort: Bool
    package var proto: L4Protocol
    package var masquerade: Bool
    package var count: Int

    package init(nodePort: Bool, proto: L4Protocol, masquerade: Bool, count: Int) {
        self.nodePort = nodePort
        self.proto = proto
        self.masquerade = masquerade
        self.count = count
    }

    /// `svc-tcp-n3`, `svc-masq-udp-n3`, `np-masq-tcp-n3`, `np-tcp-n3`.
    package var setName: String {
        (nodePort ? "np" : "svc") + (masquerade ? "-masq" : "") + "-\(proto.keyword)-n\(count)"
    }

    /// The map holding this class's endpoint slots.
    package var endpointMap: String {
        nodePort ? NFTLayout.nodePortEndpoints(proto) : NFTLayout.serviceEndpoints(proto)
    }

    package static func < (lhs: NFTClass, rhs: NFTClass) -> Bool {
        (lhs.nodePort ? 1 : 0, lhs.proto, lhs.masquerade ? 1 : 0, lhs.count) < (rhs.nodePort ? 1 : 0, rhs.proto, rhs.masquerade ? 1 : 0, rhs.count)
    }
}

/// Service IPs with `sessionAffinity: ClientIP` and one timeout: the rules
/// that record a client's endpoint into the affinity map take the timeout as
/// a constant, so each timeout in use has its set and rules.
package struct NFTAffinityClass: Hashable, Sendable, Comparable {
    package var timeout: UInt32
    package var proto: L4Protocol
    package var masquerade: Bool

    package init(timeout: UInt32, proto: L4Protocol, masquerade: Bool) {
        self.timeout = timeout
        self.proto = proto
        self.masquerade = masquerade
    }

    package var setName: String { "aff" + (masquerade ? "-masq" : "") + "-\(proto.keyword)-t\(timeout)" }
    /// The dynamic map the kernel fills for this class's clients.
    package var mapName: String { NFTLayout.affinityMap(proto, masquerade: masquerade) }

    package static func < (lhs: NFTAffinityClass, rhs: NFTAffinityClass) -> Bool {
        (lhs.timeout, lhs.proto, lhs.masquerade ? 1 : 0) < (rhs.timeout, rhs.proto, rhs.masquerade ? 1 : 0)
    }
}
