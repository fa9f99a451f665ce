import NodeRuntime

/// The whole forwarding state compiled from the Services: one rule per
/// frontend. Backends diff two of these and program only what differs.
package struct ForwardingTable: Sendable, Equatable {
    package var rules: [Frontend: ForwardingRule]

    package init(rules: [Frontend: ForwardingRule] = [:]) {
        self.rules = rules
    }

    /// Every backend IP, each of which needs hairpin masquerade (a pod
    /// reaching itself through its Service would otherwise answer itself).
    package var backendIPs: Set<IPv4Address> {
        var ips = Set<IPv4Address>()
        for rule in rules.values {
            for backend in rule.backends { ips.insert(backend.ip) }
        }
        return ips
    }

    /// Rules in a stable order (output that can be compared and diffed by eye).
    package var sortedRules: [ForwardingRule] {
        rules.values.sorted { $0.frontend < $1.frontend }
    }
}

/// What changed between two tables.
package struct ForwardingDiff: Sendable {
    package var added: [ForwardingRule] = []
    package var removed: [ForwardingRule] = []
    /// (old, new) for frontends present in both with a different rule.
    package var changed: [(old: ForwardingRule, new: ForwardingRule)] = []

    package init(from old: ForwardingTable, to new: ForwardingTable) {
        for (frontend, rule) in new.rules {
            if let before = old.rules[frontend] {
                if before != rule { changed.append((before, rule)) }
            } else {
                added.append(rule)
            }
        }
        for (frontend, rule) in old.rules where new.rules[frontend] == nil {
            removed.append(rule)
        }
        added.sort { $0.frontend < $1.frontend }
        removed.sort { $0.frontend < $1.frontend }
        changed.sort { $0.new.frontend < $1.new.frontend }
    }

    /// The difference between one Service's rules before and after a change
    /// (an incremental update: cost in the size of that Service only).
    package init(from old: [ForwardingRule], to new: [ForwardingRule]) {
        let before = Dictionary(old.map { ($0.frontend, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.map { ($0.frontend, $0) }, uniquingKeysWith: { a, _ in a })
        self.init(from: ForwardingTable(rules: before), to: ForwardingTable(rules: after))
    }

    package var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// UDP frontends that had no backends and now have some: datagrams sent
    /// meanwhile left conntrack entries without DNAT that would keep
    /// blackholing the flow, so those entries are flushed.
    package var revivedUDPFrontends: [Frontend] {
        var revived = added.filter { $0.frontend.proto == .udp && !$0.backends.isEmpty }.map(\.frontend)
        for (old, new) in changed where new.frontend.proto == .udp && old.backends.isEmpty && !new.backends.isEmpty {
            revived.append(new.frontend)
        }
        return revived
    }

    /// Backends that disappeared from a UDP frontend: their conntrack entries
    /// would keep steering datagrams to a dead address, so they are flushed.
    package var staleUDPBackends: [(frontend: Frontend, backend: BackendAddress)] {
        var stale: [(Frontend, BackendAddress)] = []
        for rule in removed where rule.frontend.proto == .udp {
            for backend in rule.backends { stale.append((rule.frontend, backend)) }
        }
        for (old, new) in changed where old.frontend.proto == .udp {
            let kept = Set(new.backends)
            for backend in old.backends where !kept.contains(backend) { stale.append((old.frontend, backend)) }
        }
        return stale
    }
}
