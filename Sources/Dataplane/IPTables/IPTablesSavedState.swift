/// What of Skiff's is in the kernel, read from `iptables-save`: the `SKIFF-`
/// chains of each table, and the rules in built-in chains that jump to them.
///
/// Read at full sync and teardown only (a listing costs as much as the
/// ruleset is large); in between, the backend knows what it programmed.
package struct IPTablesSavedState: Sendable, Equatable {
    /// `SKIFF-` chain names by table (`nat`, `filter`), in listing order.
    package var chains: [String: [String]] = [:]
    /// Rules in built-in chains jumping to a `SKIFF-` chain, by table, as
    /// `-D` commands that delete exactly them (`-D PREROUTING -m comment ...`).
    package var hookDeletions: [String: [String]] = [:]

    package init() {}

    /// Parses `iptables-save` output. Tables other than nat and filter, and
    /// lines that are not chain declarations or rules (comments, warnings on
    /// stderr), are ignored.
    package init(parsing output: String) {
        var table = ""
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("*") {
                table = String(line.dropFirst())
            } else if table != "nat" && table != "filter" {
                continue
            } else if line.hasPrefix(":\(IPTablesChainName.prefix)") {
                let name = line.dropFirst().prefix { $0 != " " }
                chains[table, default: []].append(String(name))
            } else if line.hasPrefix("-A ") {
                let words = line.split(separator: " ")
                guard words.count > 2, IPTablesHook.builtinChains.contains(String(words[1])) else { continue }
                let jumpsToOurs = zip(words, words.dropFirst()).contains { flag, target in
                    (flag == "-j" || flag == "-g") && target.hasPrefix(IPTablesChainName.prefix)
                }
                if jumpsToOurs { hookDeletions[table, default: []].append("-D" + line.dropFirst(2)) }
            }
        }
    }
}
