/// The nftables table the proxy owns and the text of its structure (chains,
/// sets, rules). Structure changes only when a new endpoint count, masquerade
/// choice or affinity timeout comes into use; Services and endpoints are
/// elements, changed over raw netlink (see docs/dataplane.md).
///
/// Endpoint and affinity maps exist once per protocol: their data is typed
/// `ip daddr . tcp dport` (or udp, sctp) because nft 1.0.6 cannot read a
/// map typed `ip daddr . th dport` back from the kernel when a later
/// transaction adds a rule using it.
package struct NFTLayout: Sendable {
    package var table: String
    package var mark: UInt32

    package init(table: String = "skiff-services", mark: UInt32 = 0x4000) {
        self.table = table
        self.mark = mark
    }

    package static func serviceEndpoints(_ proto: L4Protocol) -> String { "svc-endpoints-\(proto.keyword)" }
    package static func nodePortEndpoints(_ proto: L4Protocol) -> String { "np-endpoints-\(proto.keyword)" }
    package static func affinityMap(_ proto: L4Protocol, masquerade: Bool) -> String {
        "affinity" + (masquerade ? "-masq" : "") + "-\(proto.keyword)"
    }
    package static let noEndpoints = "no-endpoints"
    package static let noEndpointNodePorts = "no-endpoint-nodeports"
    package static let hairpin = "hairpin"

    /// Sets the proxy flushes and refills on a full sync.
    package static let fixedDataSets: [String] =
        L4Protocol.allCases.flatMap { [serviceEndpoints($0), nodePortEndpoints($0)] } + [noEndpoints, noEndpointNodePorts, hairpin]
    /// Filled by the kernel, kept across restarts (clients stay pinned).
    package static let affinityMaps: [String] =
        L4Protocol.allCases.flatMap { [affinityMap($0, masquerade: false), affinityMap($0, masquerade: true)] }

    package static let chains = [
        "services", "affinity-record", "nat-prerouting", "nat-output", "nat-postrouting",
        "affinity-prerouting", "affinity-output", "filter-input", "filter-forward", "filter-output",
    ]
    static var fixedSetCount: Int { fixedDataSets.count + affinityMaps.count }

    private var t: String { "ip \(table)" }
    private var markHex: String { "0x" + String(mark, radix: 16) }

    /// Creates the table and everything fixed in it (idempotent `add`s), and
    /// refills the base chains' rules.
    package func baseScript() -> String {
        var s = """
        add table \(t)
        add chain \(t) services
        add chain \(t) affinity-record
        add chain \(t) nat-prerouting { type nat hook prerouting priority dstnat; policy accept; }
        add chain \(t) nat-output { type nat hook output priority -100; policy accept; }
        add chain \(t) nat-postrouting { type nat hook postrouting priority srcnat; policy accept; }
        add chain \(t) affinity-prerouting { type filter hook prerouting priority -99; policy accept; }
        add chain \(t) affinity-output { type filter hook output priority -99; policy accept; }
        add chain \(t) filter-input { type filter hook input priority -10; policy accept; }
        add chain \(t) filter-forward { type filter hook forward priority -10; policy accept; }
        add chain \(t) filter-output { type filter hook output priority -10; policy accept; }

        """
        for proto in L4Protocol.allCases {
            let data = "ip daddr . \(proto.keyword) dport"
            s += "add map \(t) \(Self.serviceEndpoints(proto)) { typeof ip daddr . meta l4proto . th dport . numgen random mod 1 : \(data); }\n"
            s += "add map \(t) \(Self.nodePortEndpoints(proto)) { typeof meta l4proto . th dport . numgen random mod 1 : \(data); }\n"
            for masquerade in [false, true] {
                s += "add map \(t) \(Self.affinityMap(proto, masquerade: masquerade)) { typeof ip saddr . ip daddr . meta l4proto . th dport : \(data); flags dynamic,timeout; size 262144; }\n"
            }
        }
        s += """
        add set \(t) \(Self.noEndpoints) { typeof ip daddr . meta l4proto . th dport; }
        add set \(t) \(Self.noEndpointNodePorts) { typeof meta l4proto . th dport; }
        add set \(t) \(Self.hairpin) { typeof ip saddr . ip daddr; }

        """
        for chain in ["nat-prerouting", "nat-output", "nat-postrouting", "affinity-prerouting", "affinity-output", "filter-input", "filter-forward", "filter-output"] {
            s += "flush chain \(t) \(chain)\n"
        }
        s += """
        add rule \(t) nat-prerouting jump services
        add rule \(t) nat-output jump services
        add rule \(t) nat-postrouting ct status dnat ip saddr . ip daddr @\(Self.hairpin) masquerade
        add rule \(t) nat-postrouting meta mark & \(markHex) == 0 return
        add rule \(t) nat-postrouting meta mark set meta mark ^ \(markHex) masquerade fully-random
        add rule \(t) affinity-prerouting ct state new ct status dnat jump affinity-record
        add rule \(t) affinity-output ct state new ct status dnat jump affinity-record
        add rule \(t) filter-input ct state new meta l4proto . th dport @\(Self.noEndpointNodePorts) reject
        add rule \(t) filter-forward ct state new ip daddr . meta l4proto . th dport @\(Self.noEndpoints) reject
        add rule \(t) filter-output ct state new ip daddr . meta l4proto . th dport @\(Self.noEndpoints) reject
        add rule \(t) filter-output ct state new fib daddr type local meta l4proto . th dport @\(Self.noEndpointNodePorts) reject

        """
        return s
    }

    /// Rules in the fixed chains of `baseScript`.
    static let baseRuleCount = 11

    /// Adds the sets of `classes` (idempotent) and rewrites the `services`
    /// and `affinity-record` chains for exactly `classes` and `affinity`, in
    /// one transaction; then deletes the sets in `dropping`.
    package func classScript(classes: Set<NFTClass>, affinity: Set<NFTAffinityClass>, dropping: [String] = []) -> String {
        var s = ""
        for c in classes.sorted() {
            let key = c.nodePort ? "meta l4proto . th dport" : "ip daddr . meta l4proto . th dport"
            s += "add set \(t) \(c.setName) { typeof \(key); }\n"
        }
        for a in affinity.sorted() {
            s += "add set \(t) \(a.setName) { typeof ip daddr . meta l4proto . th dport; }\n"
        }
        s += "flush chain \(t) services\nflush chain \(t) affinity-record\n"
        s += serviceRules(classes: classes, affinity: affinity).map { "add rule \(t) services \($0)\n" }.joined()
        s += affinityRules(affinity).map { "add rule \(t) affinity-record \($0)\n" }.joined()
        for set in dropping { s += "delete set \(t) \(set)\n" }
        return s
    }

    /// How many rules `classScript` puts in the two chains.
    static func classRuleCount(classes: Set<NFTClass>, affinity: Set<NFTAffinityClass>) -> Int {
        Set(affinity.map(\.proto)).count * 2 + classes.count + affinity.count
    }

    private func serviceRules(classes: Set<NFTClass>, affinity: Set<NFTAffinityClass>) -> [String] {
        var rules: [String] = []
        let client = "ip saddr . ip daddr . meta l4proto . th dport"
        for proto in Set(affinity.map(\.proto)).sorted() {
            // A client already pinned goes back to its endpoint first.
            let masq = Self.affinityMap(proto, masquerade: true)
            rules.append("\(client) @\(masq) meta mark set meta mark | \(markHex) dnat ip to \(client) map @\(masq)")
            rules.append("dnat ip to \(client) map @\(Self.affinityMap(proto, masquerade: false))")
        }
        for c in classes.sorted() {
            let mark = c.masquerade ? "meta mark set meta mark | \(markHex) " : ""
            if c.nodePort {
                rules.append("fib daddr type local meta l4proto . th dport @\(c.setName) \(mark)dnat ip to meta l4proto . th dport . numgen random mod \(c.count) map @\(c.endpointMap)")
            } else {
                rules.append("ip daddr . meta l4proto . th dport @\(c.setName) \(mark)dnat ip to ip daddr . meta l4proto . th dport . numgen random mod \(c.count) map @\(c.endpointMap)")
            }
        }
        return rules
    }

    /// After the DNAT, record which endpoint the client got. The original
    /// destination port needs the protocol's context (`ct original proto-dst`
    /// has no type of its own): one rule per protocol in use.
    private func affinityRules(_ affinity: Set<NFTAffinityClass>) -> [String] {
        affinity.sorted().map { a in
            let original = "ct original ip daddr . meta l4proto . ct original proto-dst"
            let p = a.proto.keyword
            return "meta l4proto \(p) \(original) @\(a.setName) update @\(a.mapName) { ip saddr . \(original) timeout \(a.timeout)s : ip daddr . \(p) dport }"
        }
    }

    package func deleteScript() -> String {
        "add table \(t)\ndelete table \(t)\n"
    }
}
