/// A jump from a built-in chain into one of Skiff's, kube-proxy's way: at the
/// top of the built-in chain, with a comment saying whose it is.
///
/// Built-in chains are shared with other software, so they are never flushed:
/// a full sync deletes (`-D`) every rule in them that jumps to a `SKIFF-`
/// chain, whatever `iptables-save` shows (duplicates and outdated variants
/// included), and inserts (`-I`) these in the same transaction. The result is
/// exactly one of each however often the daemon restarts, and no moment without one.
package struct IPTablesHook: Hashable, Sendable {
    package var table: String
    package var chain: String
    /// Matches and target, as `iptables -C` and `-D` take them.
    package var spec: String

    /// Every hook, in the order they end up at the top of their chains.
    package static let all: [IPTablesHook] = {
        let portals = "-m comment --comment \"skiff service portals\" -j \(IPTablesChainName.services)"
        let newPortals = "-m conntrack --ctstate NEW " + portals
        let external =
            "-m conntrack --ctstate NEW -m comment --comment \"skiff externally-visible service portals\" -j \(IPTablesChainName.externalServices)"
        return [
            IPTablesHook(table: "nat", chain: "PREROUTING", spec: portals),
            IPTablesHook(table: "nat", chain: "OUTPUT", spec: portals),
            IPTablesHook(
                table: "nat", chain: "POSTROUTING",
                spec: "-m comment --comment \"skiff postrouting rules\" -j \(IPTablesChainName.postrouting)"),
            // Service IPs are never local: rejected where they leave the node or are routed.
            IPTablesHook(table: "filter", chain: "INPUT", spec: external),
            IPTablesHook(table: "filter", chain: "FORWARD", spec: newPortals),
            IPTablesHook(table: "filter", chain: "OUTPUT", spec: newPortals),
            IPTablesHook(table: "filter", chain: "OUTPUT", spec: external),
        ]
    }()

    /// The hook whose absence means the Service rules are gone (`isIntact`).
    package static let prerouting = all[0]

    /// The chains hooks may sit in.
    package static let builtinChains: Set<String> = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]
}
