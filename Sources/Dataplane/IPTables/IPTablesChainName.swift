/// The names of Skiff's iptables chains, laid out as kube-proxy's iptables
/// mode lays out its `KUBE-` chains so the two can be compared rule by rule.
///
/// Every chain Skiff owns starts with `SKIFF-`: a full sync deletes any such
/// chain it does not want (left over from an earlier run) and touches no other.
package enum IPTablesChainName {
    package static let prefix = "SKIFF-"
    /// nat: one rule per Service IP frontend, then the jump to `nodePorts`.
    /// filter: rejects for Service IP frontends without endpoints.
    package static let services = "SKIFF-SERVICES"
    /// nat: one rule per NodePort frontend.
    package static let nodePorts = "SKIFF-NODEPORTS"
    /// filter: rejects for NodePorts without endpoints.
    package static let externalServices = "SKIFF-EXTERNAL-SERVICES"
    /// nat: sets the masquerade mark bit.
    package static let markMasquerade = "SKIFF-MARK-MASQ"
    /// nat: masquerades what carries the mark bit.
    package static let postrouting = "SKIFF-POSTROUTING"

    /// The chain choosing an endpoint for one frontend. Named after the
    /// frontend alone, so a change of endpoints rewrites it in place.
    package static func service(_ frontend: Frontend) -> String {
        "SKIFF-SVC-" + hash(frontend.description)
    }

    /// The chain DNATing one frontend's traffic to one backend. Also the
    /// `recent` list name for session affinity, so each endpoint remembers its clients.
    package static func endpoint(_ frontend: Frontend, _ backend: BackendAddress) -> String {
        "SKIFF-SEP-" + hash("\(frontend.description) \(backend.description)")
    }

    /// FNV-1a 64 as 16 upper-case hex digits: stable across runs and builds
    /// (Swift's `Hasher` is seeded per process), and short enough that a
    /// 10-character prefix stays under the kernel's 28-character chain name limit.
    /// Collisions are astronomically unlikely at a node's scale of frontends.
    static func hash(_ text: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
