/// One pod IP handed out by `PodIPAM`, and the sandbox that holds it.
package struct PodIPAMAllocation: Hashable, Sendable, CustomStringConvertible {
    package var address: IPv4Address
    /// The pod sandbox id. Empty only for a record a crash left before its
    /// owner was written; `reconcile` frees those, since no live pod has it.
    package var owner: String

    package init(address: IPv4Address, owner: String) {
        self.address = address
        self.owner = owner
    }

    package var description: String { "\(address) (\(owner))" }
}
