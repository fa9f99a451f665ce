import NodeRuntime

/// Services as nftables sets and maps in one table (`ip skiff-services`):
/// one hash lookup finds a frontend's endpoint however many Services exist,
/// and a Service or endpoint change is a handful of element operations over
/// raw netlink. Structure (chains, rules, per-class sets) goes through
/// libnftables, and only when an endpoint count, masquerade choice or
/// affinity timeout comes into or out of use. See docs/dataplane.md.
package final class NFTablesBackend: ProxyBackend {
    package let name = "nftables"
    /// `apply` works from the diff and its own copy of what is programmed.
    package let needsTable = false
    package let layout: NFTLayout
    private let netlink: NFTNetlink
    private let nft: NFTablesSession

    /// What is programmed, kept here so nothing is ever listed to find out.
    private var programmed = ForwardingTable()
    private var classes = Set<NFTClass>()
    private var affinityClasses = Set<NFTAffinityClass>()
    /// How many frontends use each class: a class's set and rule go when
    /// its count drops to zero, found without walking the table.
    private var classRefs: [NFTClass: Int] = [:]
    private var affinityRefs: [NFTAffinityClass: Int] = [:]
    private var hairpinRefs: [IPv4Address: Int] = [:]
    private var expected: NFTFingerprint?

    /// How many structure (libnftables) transactions ran: the benchmark
    /// reports it beside the element-only updates.
    package private(set) var structureTransactions = 0

    package init(config: DataplaneConfig, table: String = "skiff-services") throws(DataplaneError) {
        layout = NFTLayout(table: table, mark: config.masqueradeMark)
        netlink = try NFTNetlink(netnsPath: config.netnsPath)
        do {
            nft = try NFTablesSession(netnsPath: config.netnsPath)
        } catch {
            throw .command(step: "libnftables context in \(config.netnsPath ?? "this netns")", status: 1, output: String(describing: error))
        }
    }

    // MARK: ProxyBackend

    package func fullSync(_ table: ForwardingTable) throws(DataplaneError) {
        // One walk of the table gives the elements, the classes in use and
        // the hairpin references.
        var adds: [NFTElementOp] = []
        var refs: [NFTClass: Int] = [:], affinity: [NFTAffinityClass: Int] = [:], hairpin: [IPv4Address: Int] = [:]
        for rule in table.rules.values {
            for element in Self.elements(of: rule) { adds.append(.add(element)) }
            for backend in rule.backends { hairpin[backend.ip, default: 0] += 1 }
            if let c = Self.nftClass(of: rule) { refs[c, default: 0] += 1 }
            if let a = Self.affinityClass(of: rule) { affinity[a, default: 0] += 1 }
        }
        for ip in hairpin.keys { adds.append(.add(Self.hairpinElement(ip))) }
        let neededClasses = Set(refs.keys), neededAffinity = Set(affinity.keys)

        let existing = try netlink.setNames(table: layout.table) ?? []
        let fixed = Set(NFTLayout.fixedDataSets + NFTLayout.affinityMaps)
        let keep = Set(neededClasses.map(\.setName) + neededAffinity.map(\.setName))
        let dropping = existing.filter { !fixed.contains($0) && !keep.contains($0) }
        try runScript(layout.baseScript() + layout.classScript(classes: neededClasses, affinity: neededAffinity, dropping: dropping))

        let flushes = (NFTLayout.fixedDataSets + keep.sorted()).map { NFTElementOp.flush(set: $0) }
        try netlink.commit(table: layout.table, flushes + adds + staleAffinity(keeping: table))

        // Our own storage, so in-place changes later never copy the caller's table.
        programmed = ForwardingTable(rules: Dictionary(uniqueKeysWithValues: table.rules.map { ($0.key, $0.value) }))
        classes = neededClasses
        affinityClasses = neededAffinity
        classRefs = refs
        affinityRefs = affinity
        hairpinRefs = hairpin
        expected = try expectedFingerprint()
    }

    package func update(to table: ForwardingTable) throws(DataplaneError) {
        try apply(ForwardingDiff(from: programmed, to: table), table: ForwardingTable())
    }

    package func apply(_ diff: ForwardingDiff, table: ForwardingTable) throws(DataplaneError) {
        if diff.isEmpty { return }
        // Classes this change needs or frees, counted from the diff alone.
        var gained = Set<NFTClass>(), gainedAffinity = Set<NFTAffinityClass>()
        for rule in diff.added + diff.changed.map(\.new) {
            if let c = Self.nftClass(of: rule), !classes.contains(c) { gained.insert(c) }
            if let a = Self.affinityClass(of: rule), !affinityClasses.contains(a) { gainedAffinity.insert(a) }
        }
        if !gained.isEmpty || !gainedAffinity.isEmpty {
            try runScript(layout.classScript(classes: classes.union(gained), affinity: affinityClasses.union(gainedAffinity)))
            classes.formUnion(gained)
            affinityClasses.formUnion(gainedAffinity)
            expected = try expectedFingerprint()
        }

        var deletes: [NFTElementOp] = [], adds: [NFTElementOp] = []
        var pinnedGone: [(map: String, destination: [UInt8], backend: [UInt8]?)] = []
        func replace(_ old: ForwardingRule?, _ new: ForwardingRule?) {
            let before = old.map { Set(Self.elements(of: $0)) } ?? []
            let after = new.map { Set(Self.elements(of: $0)) } ?? []
            // A slot that now holds another endpoint is deleted and re-added
            // in the same batch: the kernel refuses new data over a key.
            for element in before.subtracting(after) { deletes.append(.delete(element)) }
            for element in after.subtracting(before) { adds.append(.add(element)) }
            for backend in old?.backends ?? [] { release(backend.ip, into: &deletes) }
            for backend in new?.backends ?? [] { retain(backend.ip, into: &adds) }
            if let old, old.affinityTimeout != nil, let ip = old.frontend.ip {
                let destination = NFTElementCodec.serviceKey(ip, old.frontend.proto, old.frontend.port)
                let map = NFTLayout.affinityMap(old.frontend.proto, masquerade: old.masquerade)
                let kept = Set(new?.affinityTimeout != nil && new?.masquerade == old.masquerade ? new?.backends ?? [] : [])
                if kept.isEmpty {
                    pinnedGone.append((map, destination, nil))
                } else {
                    for backend in old.backends where !kept.contains(backend) {
                        pinnedGone.append((map, destination, NFTElementCodec.backendData(backend)))
                    }
                }
            }
        }
        for rule in diff.removed { replace(rule, nil) }
        for (old, new) in diff.changed { replace(old, new) }
        for rule in diff.added { replace(nil, rule) }
        if !pinnedGone.isEmpty { deletes += try affinityEntries(matching: pinnedGone) }
        try netlink.commit(table: layout.table, deletes + adds)
        programmed.apply(diff)
        for rule in diff.removed + diff.changed.map(\.old) { count(rule, -1) }
        for rule in diff.added + diff.changed.map(\.new) { count(rule, 1) }

        let neededClasses = Set(classRefs.keys), neededAffinity = Set(affinityRefs.keys)
        if neededClasses != classes || neededAffinity != affinityClasses {
            let dropping = classes.subtracting(neededClasses).map(\.setName) + affinityClasses.subtracting(neededAffinity).map(\.setName)
            try runScript(layout.classScript(classes: neededClasses, affinity: neededAffinity, dropping: dropping))
            classes = neededClasses
            affinityClasses = neededAffinity
            expected = try expectedFingerprint()
        }
    }

    package func isIntact() throws(DataplaneError) -> Bool {
        guard let expected else { return false }
        return try netlink.fingerprint(table: layout.table) == expected
    }

    package func teardown() throws(DataplaneError) {
        try runScript(layout.deleteScript())
        programmed = ForwardingTable()
        classes = []
        affinityClasses = []
        classRefs = [:]
        affinityRefs = [:]
        hairpinRefs = [:]
        expected = nil
    }

    // MARK: Elements

    private func retain(_ ip: IPv4Address, into ops: inout [NFTElementOp]) {
        hairpinRefs[ip, default: 0] += 1
        if hairpinRefs[ip] == 1 { ops.append(.add(Self.hairpinElement(ip))) }
    }

    private func release(_ ip: IPv4Address, into ops: inout [NFTElementOp]) {
        guard let count = hairpinRefs[ip] else { return }
        if count <= 1 {
            hairpinRefs[ip] = nil
            ops.append(.delete(Self.hairpinElement(ip)))
        } else {
            hairpinRefs[ip] = count - 1
        }
    }

    private static func hairpinElement(_ ip: IPv4Address) -> NFTElement {
        NFTElement(set: NFTLayout.hairpin, key: NFTElementCodec.hairpinKey(ip))
    }

    /// The elements that make one frontend forward (or reject).
    static func elements(of rule: ForwardingRule) -> [NFTElement] {
        let f = rule.frontend
        guard let c = nftClass(of: rule) else {
            if let ip = f.ip {
                return [NFTElement(set: NFTLayout.noEndpoints, key: NFTElementCodec.serviceKey(ip, f.proto, f.port))]
            }
            return [NFTElement(set: NFTLayout.noEndpointNodePorts, key: NFTElementCodec.nodePortKey(f.proto, f.port))]
        }
        var result: [NFTElement] = []
        if let ip = f.ip {
            result.append(NFTElement(set: c.setName, key: NFTElementCodec.serviceKey(ip, f.proto, f.port)))
            for (slot, backend) in rule.backends.enumerated() {
                result.append(NFTElement(
                    set: c.endpointMap, key: NFTElementCodec.serviceSlotKey(ip, f.proto, f.port, slot: slot),
                    data: NFTElementCodec.backendData(backend)))
            }
            if let a = affinityClass(of: rule) {
                result.append(NFTElement(set: a.setName, key: NFTElementCodec.serviceKey(ip, f.proto, f.port)))
            }
        } else {
            result.append(NFTElement(set: c.setName, key: NFTElementCodec.nodePortKey(f.proto, f.port)))
            for (slot, backend) in rule.backends.enumerated() {
                result.append(NFTElement(
                    set: c.endpointMap, key: NFTElementCodec.nodePortSlotKey(f.proto, f.port, slot: slot),
                    data: NFTElementCodec.backendData(backend)))
            }
        }
        return result
    }

    static func nftClass(of rule: ForwardingRule) -> NFTClass? {
        rule.backends.isEmpty ? nil : NFTClass(nodePort: rule.frontend.ip == nil, proto: rule.frontend.proto, masquerade: rule.masquerade, count: rule.backends.count)
    }

    static func affinityClass(of rule: ForwardingRule) -> NFTAffinityClass? {
        guard let timeout = rule.affinityTimeout, rule.frontend.ip != nil, !rule.backends.isEmpty else { return nil }
        return NFTAffinityClass(timeout: timeout, proto: rule.frontend.proto, masquerade: rule.masquerade)
    }

    private func count(_ rule: ForwardingRule, _ delta: Int) {
        if let c = Self.nftClass(of: rule) {
            let n = classRefs[c, default: 0] + delta
            classRefs[c] = n > 0 ? n : nil
        }
        if let a = Self.affinityClass(of: rule) {
            let n = affinityRefs[a, default: 0] + delta
            affinityRefs[a] = n > 0 ? n : nil
        }
    }

    /// Affinity entries (filled by the kernel) that point at endpoints no
    /// longer behind their frontend: deleted so a pinned client moves on.
    private func affinityEntries(matching gone: [(map: String, destination: [UInt8], backend: [UInt8]?)]) throws(DataplaneError) -> [NFTElementOp] {
        var ops: [NFTElementOp] = []
        for map in Set(gone.map(\.map)).sorted() {
            let wanted = gone.filter { $0.map == map }
            for element in try netlink.elements(table: layout.table, set: map) {
                guard let destination = NFTElementCodec.affinityDestination(ofKey: element.key) else { continue }
                if wanted.contains(where: { Array(destination) == $0.destination && ($0.backend == nil || $0.backend == element.data) }) {
                    ops.append(.delete(NFTElement(set: map, key: element.key)))
                }
            }
        }
        return ops
    }

    /// On a full sync: affinity entries whose frontend no longer has that
    /// endpoint (or no longer has affinity) are dropped; the rest survive a restart.
    private func staleAffinity(keeping table: ForwardingTable) throws(DataplaneError) -> [NFTElementOp] {
        var valid = Set<[UInt8]>()
        for rule in table.rules.values where rule.affinityTimeout != nil {
            guard let ip = rule.frontend.ip else { continue }
            let map = NFTLayout.affinityMap(rule.frontend.proto, masquerade: rule.masquerade)
            for backend in rule.backends {
                valid.insert(Array(map.utf8) + NFTElementCodec.serviceKey(ip, rule.frontend.proto, rule.frontend.port) + NFTElementCodec.backendData(backend))
            }
        }
        var ops: [NFTElementOp] = []
        for map in NFTLayout.affinityMaps {
            for element in try netlink.elements(table: layout.table, set: map) {
                guard let destination = NFTElementCodec.affinityDestination(ofKey: element.key) else { continue }
                if !valid.contains(Array(map.utf8) + Array(destination) + (element.data ?? [])) {
                    ops.append(.delete(NFTElement(set: map, key: element.key)))
                }
            }
        }
        return ops
    }

    // MARK: Structure

    private func runScript(_ script: String) throws(DataplaneError) {
        structureTransactions += 1
        do {
            try nft.run(script)
        } catch {
            throw .command(step: "nftables transaction on table \(layout.table)", status: 1, output: String(describing: error))
        }
    }

    private func expectedFingerprint() throws(DataplaneError) -> NFTFingerprint? {
        guard let actual = try netlink.fingerprint(table: layout.table) else { return nil }
        return NFTFingerprint(
            tableHandle: actual.tableHandle, chains: NFTLayout.chains.count,
            rules: NFTLayout.baseRuleCount + NFTLayout.classRuleCount(classes: classes, affinity: affinityClasses),
            sets: NFTLayout.fixedSetCount + classes.count + affinityClasses.count)
    }
}
