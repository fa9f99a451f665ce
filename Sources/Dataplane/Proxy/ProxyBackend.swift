/// One way of programming a `ForwardingTable` into the kernel. Called from
/// one thread at a time (the proxy's), so implementations keep their
/// programmed state in plain properties.
package protocol ProxyBackend: AnyObject {
    /// `nftables` or `iptables`, for logs and benchmark tables.
    var name: String { get }
    /// Programs `table` from whatever is there (nothing, a previous run's
    /// state, or a damaged table) and forgets what was programmed before.
    func fullSync(_ table: ForwardingTable) throws(DataplaneError)
    /// Applies only the difference from the last programmed table.
    func update(to table: ForwardingTable) throws(DataplaneError)
    /// Applies `diff`, which takes the last programmed table to `table`.
    /// The proxy computes it from the one Service that changed, so a backend
    /// that programs differences never walks the whole table.
    func apply(_ diff: ForwardingDiff, table: ForwardingTable) throws(DataplaneError)
    /// Whether `apply` reads its `table` argument (chains rewritten whole);
    /// when false the proxy passes an empty table and saves copying one.
    var needsTable: Bool { get }
    /// False when what is in the kernel is no longer what was programmed
    /// (someone flushed the ruleset or deleted the table): the proxy then
    /// runs a full sync.
    func isIntact() throws(DataplaneError) -> Bool
    /// Removes everything this backend programmed.
    func teardown() throws(DataplaneError)
}

extension ProxyBackend {
    package var needsTable: Bool { true }

    package func apply(_ diff: ForwardingDiff, table: ForwardingTable) throws(DataplaneError) {
        try update(to: table)
    }
}
