import Glibc

/// Programs Services with `iptables-restore`, laid out as kube-proxy's
/// iptables mode (see `IPTablesRuleset`). Exists so the nftables backend can
/// be compared against the classic design in benchmarks; it has the same
/// semantics, and the same traffic tests run on both.
///
/// Every change is one `iptables-restore --noflush` run (atomic per table).
/// Updates rewrite only the chains of frontends that changed, kube-proxy's
/// "minimal restore"; the table last programmed is kept in memory for that.
package final class IPTablesBackend: ProxyBackend {
    package let name = "iptables"

    private let config: DataplaneConfig
    private let restore: HostCommand
    private let save: HostCommand
    private let iptables: String
    /// What the kernel holds, as far as we know; nil after a failure (the next
    /// update is then a full sync, which reads the kernel's state again).
    private var programmed: ForwardingTable?

    /// How long to wait for the xtables lock another program holds.
    private static let lockWait = ["-w", "5"]

    /// - Parameter restorePath: `iptables-restore` or a variant
    ///   (`iptables-legacy-restore`); `-save` and the plain command are found
    ///   next to it by name.
    package init(config: DataplaneConfig, restorePath: String = "/usr/sbin/iptables-restore") throws(DataplaneError) {
        let base = restorePath.hasSuffix("-restore") ? String(restorePath.dropLast("-restore".count)) : restorePath
        let savePath = base + "-save"
        for path in [restorePath, savePath, base] where access(path, X_OK) != 0 {
            throw .kernel(step: "access \(path)", errno: errno)
        }
        if let netnsPath = config.netnsPath, access(netnsPath, R_OK) != 0 {
            throw .kernel(step: "access \(netnsPath)", errno: errno)
        }
        self.config = config
        self.iptables = base
        restore = HostCommand(path: restorePath, arguments: ["--noflush"] + Self.lockWait, netnsPath: config.netnsPath)
        // A listing of every rule on the node: no bound that a real ruleset could reach.
        save = HostCommand(path: savePath, arguments: [], netnsPath: config.netnsPath, outputLimit: 1 << 30)
    }

    package func fullSync(_ table: ForwardingTable) throws(DataplaneError) {
        programmed = nil
        let existing = try savedState()
        let ruleset = IPTablesRuleset(table: table, masqueradeMark: config.masqueradeMark)
        try run(ruleset.fullSyncScript(replacing: existing))
        programmed = table
    }

    package func update(to table: ForwardingTable) throws(DataplaneError) {
        guard let old = programmed else { return try fullSync(table) }
        try apply(ForwardingDiff(from: old, to: table), table: table)
    }

    package func apply(_ diff: ForwardingDiff, table: ForwardingTable) throws(DataplaneError) {
        guard programmed != nil else { return try fullSync(table) }
        let ruleset = IPTablesRuleset(table: table, masqueradeMark: config.masqueradeMark)
        guard let script = ruleset.updateScript(applying: diff) else { return }
        programmed = nil
        try run(script)
        programmed = table
    }

    /// Two `iptables -C` probes of constant cost, whatever the number of
    /// Services: the hook from PREROUTING (gone after `iptables -t nat -F` or
    /// `nft flush ruleset`) and the last rule of `SKIFF-SERVICES` (gone when
    /// that chain was flushed or deleted). False before the first sync.
    package func isIntact() throws(DataplaneError) -> Bool {
        guard programmed != nil else { return false }
        let hook = IPTablesHook.prerouting
        guard try check(table: hook.table, chain: hook.chain, spec: hook.spec) else { return false }
        return try check(table: "nat", chain: IPTablesChainName.services, spec: IPTablesRuleset.nodePortsJump)
    }

    package func teardown() throws(DataplaneError) {
        programmed = nil
        let existing = try savedState()
        if let script = IPTablesRuleset.teardownScript(removing: existing) { try run(script) }
    }

    // MARK: Commands

    private func run(_ script: String) throws(DataplaneError) {
        _ = try restore.check(input: script)
    }

    private func savedState() throws(DataplaneError) -> IPTablesSavedState {
        let result = try save.run()
        guard result.status == 0, !result.truncated else {
            let output = result.truncated ? "output exceeds \(save.outputLimit) bytes" : result.output
            throw .command(step: save.commandLine, status: result.status, output: output)
        }
        return IPTablesSavedState(parsing: result.output)
    }

    /// `iptables -C`: exit status 0 when the rule exists, 1 when it or its
    /// chain does not, 2 when the chain it jumps to does not (after
    /// `nft flush ruleset`, say).
    private func check(table: String, chain: String, spec: String) throws(DataplaneError) -> Bool {
        let command = HostCommand(
            path: iptables, arguments: Self.lockWait + ["-t", table, "-C", chain] + Self.words(spec), netnsPath: config.netnsPath)
        let result = try command.run()
        switch result.status {
        case 0: return true
        case 1, 2: return false
        default: throw .command(step: command.commandLine, status: result.status, output: result.output)
        }
    }

    /// Splits a rule spec into arguments the way iptables-restore does: on
    /// spaces, except inside double quotes (comments).
    static func words(_ spec: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var started = false
        for character in spec {
            if character == "\"" {
                quoted.toggle()
                started = true
            } else if character == " " && !quoted {
                if started { words.append(current) }
                current = ""
                started = false
            } else {
                current.append(character)
                started = true
            }
        }
        if started { words.append(current) }
        return words
    }
}
