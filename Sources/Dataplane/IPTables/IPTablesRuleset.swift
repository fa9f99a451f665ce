/// A `ForwardingTable` as iptables rules, in kube-proxy's iptables-mode layout
/// (`SKIFF-` for `KUBE-`), and the `iptables-restore` scripts that program it.
/// Pure text: the backend runs the scripts.
///
/// nat: `SKIFF-SERVICES` (from PREROUTING and OUTPUT) matches each Service IP
/// frontend and jumps to its `SKIFF-SVC-` chain, then hands local destinations
/// to `SKIFF-NODEPORTS`, which does the same for NodePorts. A `SKIFF-SVC-`
/// chain marks for masquerade when the frontend asks for it, sends clients
/// back to their endpoint under session affinity, and otherwise picks an
/// endpoint uniformly (`statistic` with probability 1/n, 1/(n-1), ... and the
/// last unconditionally). A `SKIFF-SEP-` chain marks hairpin traffic (an
/// endpoint reaching itself) and DNATs. `SKIFF-POSTROUTING` masquerades what
/// is marked. filter: frontends without endpoints are rejected, like kube-proxy,
/// on new connections only.
package struct IPTablesRuleset: Sendable {
    package var table: ForwardingTable
    /// The mark bit that asks `SKIFF-POSTROUTING` to masquerade.
    package var masqueradeMark: UInt32

    package init(table: ForwardingTable, masqueradeMark: UInt32) {
        self.table = table
        self.masqueradeMark = masqueradeMark
    }

    private static let natBaseChains = [
        IPTablesChainName.services, IPTablesChainName.nodePorts, IPTablesChainName.markMasquerade, IPTablesChainName.postrouting,
    ]
    private static let filterChains = [IPTablesChainName.services, IPTablesChainName.externalServices]

    // MARK: Scripts

    /// Programs everything from whatever is there: every chain declared and
    /// written, `SKIFF-` chains of an earlier run that are not wanted deleted,
    /// and the hooks in the built-in chains replaced by exactly one of each.
    package func fullSyncScript(replacing existing: IPTablesSavedState) -> String {
        var script = IPTablesRestoreScript()
        for deletion in existing.hookDeletions["nat", default: []] { script.nat.command(deletion) }
        for deletion in existing.hookDeletions["filter", default: []] { script.filter.command(deletion) }

        for chain in Self.natBaseChains { script.nat.declare(chain) }
        writeStaticChains(into: &script.nat)
        writePortals(into: &script)
        for rule in table.sortedRules { writeServiceChains(rule, into: &script.nat) }
        insertHooks(into: &script)

        let wantedNAT = natChains
        for chain in existing.chains["nat", default: []] where !wantedNAT.contains(chain) { script.nat.delete(chain) }
        let wantedFilter = Set(Self.filterChains)
        for chain in existing.chains["filter", default: []] where !wantedFilter.contains(chain) {
            script.filter.delete(chain)
        }
        return script.text ?? ""
    }

    /// kube-proxy's "minimal restore": rewrites the portal chains whole (one
    /// rule per frontend, as kube-proxy does), and only the `SKIFF-SVC-`/`SKIFF-SEP-` chains of the frontends
    /// `diff` adds or changes, and deletes the chains of its removed or changed
    /// frontends that are no longer used. `diff` must lead to `table`. Nil
    /// when nothing changed.
    ///
    /// Chain names are per frontend, so only the frontends in `diff` can
    /// gain or lose chains; the rest of the table is not walked for them.
    package func updateScript(applying diff: ForwardingDiff) -> String? {
        guard !diff.isEmpty else { return nil }
        var script = IPTablesRestoreScript()
        writePortals(into: &script)
        var kept = Set<String>()
        for rule in diff.added + diff.changed.map(\.new) {
            writeServiceChains(rule, into: &script.nat)
            kept.formUnion(Self.chains(of: rule))
        }
        var stale = Set<String>()
        for rule in diff.removed + diff.changed.map(\.old) { stale.formUnion(Self.chains(of: rule)) }
        for chain in stale.subtracting(kept).sorted() { script.nat.delete(chain) }
        return script.text
    }

    /// Removes every hook and every `SKIFF-` chain in `existing`; nil when there are none.
    package static func teardownScript(removing existing: IPTablesSavedState) -> String? {
        var script = IPTablesRestoreScript()
        for deletion in existing.hookDeletions["nat", default: []] { script.nat.command(deletion) }
        for deletion in existing.hookDeletions["filter", default: []] { script.filter.command(deletion) }
        for chain in existing.chains["nat", default: []] { script.nat.delete(chain) }
        for chain in existing.chains["filter", default: []] { script.filter.delete(chain) }
        return script.text
    }

    /// Every nat chain this table needs.
    package var natChains: Set<String> {
        var chains = Set(Self.natBaseChains)
        for rule in table.rules.values { chains.formUnion(Self.chains(of: rule)) }
        return chains
    }

    /// The `SKIFF-SVC-` and `SKIFF-SEP-` chains of one frontend (none without backends).
    static func chains(of rule: ForwardingRule) -> [String] {
        guard !rule.backends.isEmpty else { return [] }
        return [IPTablesChainName.service(rule.frontend)] + rule.backends.map { IPTablesChainName.endpoint(rule.frontend, $0) }
    }

    // MARK: Chains

    private func writeStaticChains(into nat: inout IPTablesRestoreScript.Section) {
        let mark = Self.hex(masqueradeMark)
        nat.append(IPTablesChainName.markMasquerade, "-j MARK --or-mark \(mark)")
        let postrouting = IPTablesChainName.postrouting
        nat.append(postrouting, "-m mark ! --mark \(mark)/\(mark) -j RETURN")
        // Cleared so a packet that is re-routed (and re-traverses nat) is not masqueraded twice.
        nat.append(postrouting, "-j MARK --xor-mark \(mark)")
        nat.append(postrouting, "-m comment --comment \"skiff service traffic requiring SNAT\" -j MASQUERADE --random-fully")
    }

    /// `SKIFF-SERVICES` and `SKIFF-NODEPORTS` in nat, and the reject chains in
    /// filter: declared (so flushed) and written whole.
    private func writePortals(into script: inout IPTablesRestoreScript) {
        let services = IPTablesChainName.services
        let nodePorts = IPTablesChainName.nodePorts
        let external = IPTablesChainName.externalServices
        script.nat.declare(services)
        script.nat.declare(nodePorts)
        script.filter.declare(services)
        script.filter.declare(external)
        for rule in table.sortedRules {
            let frontend = rule.frontend
            let comment = Self.comment(rule)
            let proto = frontend.proto.keyword
            let match: String
            if let ip = frontend.ip {
                match = "-d \(ip)/32 -p \(proto) --dport \(frontend.port)"
            } else {
                match = "-p \(proto) --dport \(frontend.port)"
            }
            if rule.backends.isEmpty {
                let rejected = "-m comment --comment \"\(comment) has no endpoints\""
                if frontend.ip != nil {
                    script.filter.append(services, "\(rejected) \(match) -j REJECT")
                } else {
                    script.filter.append(external, "\(rejected) -m addrtype --dst-type LOCAL \(match) -j REJECT")
                }
            } else {
                let chain = frontend.ip != nil ? services : nodePorts
                script.nat.append(chain, "-m comment --comment \"\(comment)\" \(match) -j \(IPTablesChainName.service(frontend))")
            }
        }
        // Last, so a Service IP that happens to be local is matched as that first.
        script.nat.append(services, Self.nodePortsJump)
    }

    /// The last rule of nat `SKIFF-SERVICES`: its presence says the chain is
    /// there and was not flushed (`isIntact`).
    package static let nodePortsJump =
        "-m comment --comment \"skiff service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j \(IPTablesChainName.nodePorts)"

    /// The `SKIFF-SVC-` chain of one frontend and its `SKIFF-SEP-` chains,
    /// declared and written whole. A frontend without backends has none.
    private func writeServiceChains(_ rule: ForwardingRule, into nat: inout IPTablesRestoreScript.Section) {
        guard !rule.backends.isEmpty else { return }
        let frontend = rule.frontend
        let service = IPTablesChainName.service(frontend)
        let endpoints = rule.backends.map { IPTablesChainName.endpoint(frontend, $0) }
        nat.declare(service)
        for endpoint in endpoints { nat.declare(endpoint) }

        if rule.masquerade { nat.append(service, "-j \(IPTablesChainName.markMasquerade)") }
        if let timeout = rule.affinityTimeout {
            for endpoint in endpoints {
                nat.append(
                    service,
                    "-m recent --name \(endpoint) --mask 255.255.255.255 --rsource --rcheck --seconds \(timeout) --reap -j \(endpoint)")
            }
        }
        for (index, endpoint) in endpoints.enumerated() {
            let remaining = endpoints.count - index
            if remaining > 1 {
                nat.append(service, "-m statistic --mode random --probability \(Self.probability(oneIn: remaining)) -j \(endpoint)")
            } else {
                nat.append(service, "-j \(endpoint)")
            }
        }

        let proto = frontend.proto.keyword
        for (backend, endpoint) in zip(rule.backends, endpoints) {
            nat.append(endpoint, "-s \(backend.ip)/32 -j \(IPTablesChainName.markMasquerade)")
            let remember =
                rule.affinityTimeout == nil ? "" : "-m recent --name \(endpoint) --mask 255.255.255.255 --rsource --set "
            nat.append(endpoint, "-p \(proto) \(remember)-j DNAT --to-destination \(backend.ip):\(backend.port)")
        }
    }

    /// `-I CHAIN n` for every hook, numbered so they end up in `IPTablesHook.all` order.
    private func insertHooks(into script: inout IPTablesRestoreScript) {
        var position: [String: Int] = [:]
        for hook in IPTablesHook.all {
            let key = "\(hook.table) \(hook.chain)"
            let index = position[key, default: 0] + 1
            position[key] = index
            let line = "-I \(hook.chain) \(index) \(hook.spec)"
            if hook.table == "nat" { script.nat.command(line) } else { script.filter.command(line) }
        }
    }

    // MARK: Formatting

    /// 1/n with ten decimals, rounded, as kube-proxy writes it (`0.3333333333`).
    static func probability(oneIn n: Int) -> String {
        let scale: UInt64 = 10_000_000_000
        let count = UInt64(max(n, 1))
        let fraction = (2 * scale + count) / (2 * count)
        guard fraction < scale else { return "1.0000000000" }
        let digits = String(fraction)
        return "0." + String(repeating: "0", count: 10 - digits.count) + digits
    }

    /// `default/web:http`, with anything that could end the quoted comment or
    /// the line dropped (names reach here unvalidated).
    static func comment(_ rule: ForwardingRule) -> String {
        var text = rule.service.description
        if !rule.portName.isEmpty { text += ":\(rule.portName)" }
        let allowed = text.unicodeScalars.filter { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._/:".unicodeScalars.contains(scalar))
        }
        return String(String.UnicodeScalarView(allowed.prefix(200)))
    }

    static func hex(_ value: UInt32) -> String {
        "0x" + String(value, radix: 16)
    }
}
