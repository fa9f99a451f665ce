import Synchronization

/// Hands out pod IPs from the node's subnet and remembers who holds each one,
/// on disk, so a restarted daemon never gives a live pod's address to another.
///
/// - Addresses: every host of the subnet except the network address, the
///   gateway (the bridge's address) and the broadcast address.
/// - Ownership: each address records its owner (the sandbox id). Allocation is
///   idempotent per owner, so a RunPodSandbox retried after a crash gets the
///   address it already had instead of leaking a second one.
/// - Order: round-robin from a persisted "last reserved" cursor, as CNI
///   host-local does. A released address is handed out again only after the
///   search has wrapped around the subnet, so a stale peer (a conntrack entry,
///   a service endpoint not yet updated) that still targets the old pod's IP
///   does not reach the next pod straight away.
/// - Durability and locking: see `PodIPAMStore` (one file per address, fsynced
///   before a call returns) and `PodIPAMLock` (a Mutex for threads, `flock`
///   for processes). State is re-read under the lock on every call rather than
///   cached, so two processes on one directory cannot act on stale views.
package final class PodIPAM: Sendable {
    /// Sandbox ids are 64 hex digits; the bound only keeps records small.
    package static let maxOwnerLength = 1024

    package let directory: String
    package let subnet: IPv4Network
    package let gateway: IPv4Address
    private let store: PodIPAMStore
    private let lock: PodIPAMLock
    /// The records as this process last read or wrote them, with the
    /// directory's stamp right after. Every writer changes the directory under
    /// the lock, so while the stamp is the same the records are too, and an
    /// allocation costs no read of every record (which made starting the
    /// 1,000th pod read 999 files, under the lock every start waits on).
    /// A change within one kernel clock tick can keep the stamp; the cost is
    /// bounded by `create` refusing a taken address (O_EXCL) and a re-read then.
    private let known = Mutex<(stamp: FileStamp, owners: [IPv4Address: String])?>(nil)

    /// Opens (creating it if needed) the IPAM state under `directory`, which
    /// the runtime puts at `DATA_DIR/ipam`.
    /// - Parameters:
    ///   - subnet: the node's pod subnet, /30 or larger: a /31 or /32 leaves no
    ///     address for a pod once the gateway has one.
    ///   - gateway: a host address of `subnet`, never handed to a pod.
    package init(directory: String, subnet: IPv4Network, gateway: IPv4Address) throws {
        guard subnet.prefixLength <= 30 else {
            throw RuntimeError("pod subnet \(subnet): prefix length must be 30 or less to leave pod IPs beside the gateway")
        }
        guard subnet.contains(gateway), gateway != subnet.network, gateway != subnet.broadcast else {
            throw RuntimeError("gateway \(gateway): not a host address of pod subnet \(subnet)")
        }
        try StateFile.makeDirectory(directory, mode: 0o700)
        self.directory = directory
        self.subnet = subnet
        self.gateway = gateway
        store = PodIPAMStore(directory: directory)
        lock = try PodIPAMLock(path: "\(directory)/lock")
    }

    /// How many pods the subnet can address at once (253 for a /24, 1,021 for a /22).
    package var capacity: Int {
        Int(subnet.lastHost.value - subnet.firstHost.value)
    }

    /// The address `owner` holds, allocating the next free one after the
    /// cursor if it holds none. Durable when this returns.
    /// - Throws: `RuntimeError("no free pod IP in <subnet>")` when every
    ///   address is taken; nothing on disk changes then.
    package func allocate(owner: String) throws -> IPv4Address {
        try Self.validate(owner: owner)
        return try lock.withExclusiveAccess {
            var owners = try current()
            if let held = owners.first(where: { $0.value == owner }) { return held.key }
            var rescanned = false
            for address in candidates(after: try store.lastReserved()) where address != gateway && owners[address] == nil {
                guard try store.create(address, owner: owner) else {
                    // Taken in a way the stamp did not show: read everything once.
                    if !rescanned {
                        owners = try scan()
                        rescanned = true
                    }
                    continue
                }
                do {
                    try store.recordLastReserved(address)
                    try store.syncDirectory()
                } catch {
                    try? store.remove(address)
                    forget()
                    throw error
                }
                owners[address] = owner
                try remember(owners)
                return address
            }
            throw RuntimeError("no free pod IP in \(subnet)")
        }
    }

    /// Frees the address `owner` holds (every one, should the directory have
    /// been edited by hand into holding several).
    /// - Returns: the freed address, or nil when the owner held none.
    @discardableResult
    package func release(owner: String) throws -> IPv4Address? {
        try Self.validate(owner: owner)
        return try lock.withExclusiveAccess {
            var owners = try current()
            let held = owners.filter { $0.value == owner }.keys.sorted()
            guard !held.isEmpty else { return nil }
            do {
                for address in held {
                    try store.remove(address)
                    owners[address] = nil
                }
                try store.syncDirectory()
            } catch {
                forget()
                throw error
            }
            try remember(owners)
            return held.first
        }
    }

    /// The address `owner` holds, if any.
    package func allocation(for owner: String) throws -> IPv4Address? {
        try Self.validate(owner: owner)
        return try lock.withExclusiveAccess {
            try current().filter { $0.value == owner }.keys.min()
        }
    }

    /// Every address held, in address order.
    package func allocations() throws -> [PodIPAMAllocation] {
        try lock.withExclusiveAccess { try store.allocations() }
    }

    /// Frees every address whose owner is not in `liveOwners`: run at daemon
    /// start, after re-discovering the sandboxes that survived, so addresses
    /// of pods that died with the previous daemon (or records a crash left
    /// half-written) return to the pool.
    /// - Returns: what was freed, in address order.
    @discardableResult
    package func reconcile(liveOwners: Set<String>) throws -> [PodIPAMAllocation] {
        try lock.withExclusiveAccess {
            forget()
            let dead = try store.allocations().filter { !liveOwners.contains($0.owner) }
            guard !dead.isEmpty else { return [] }
            for allocation in dead { try store.remove(allocation.address) }
            try store.syncDirectory()
            return dead
        }
    }

    /// Owner by address, from what this process knows while the directory is
    /// unchanged, else read afresh. Call with the lock held.
    private func current() throws -> [IPv4Address: String] {
        if let stamp = try FileStamp.of(directory), let cached = known.withLock({ $0 }), cached.stamp == stamp {
            return cached.owners
        }
        return try scan()
    }

    /// Reads every record and remembers them. Call with the lock held.
    private func scan() throws -> [IPv4Address: String] {
        var owners: [IPv4Address: String] = [:]
        for allocation in try store.allocations() { owners[allocation.address] = allocation.owner }
        try remember(owners)
        return owners
    }

    /// Records what this process just made the directory hold. Call with the
    /// lock held, after the change: no one else can change it meanwhile.
    private func remember(_ owners: [IPv4Address: String]) throws {
        guard let stamp = try FileStamp.of(directory) else {
            forget()
            return
        }
        known.withLock { $0 = (stamp, owners) }
    }

    private func forget() {
        known.withLock { $0 = nil }
    }

    /// Every usable host once, starting just after `cursor` and wrapping at
    /// the end of the subnet; from the first host when there is no cursor or
    /// it lies outside the range (the subnet changed). Lazy, so a /16 does not
    /// build a 65k-element array for an allocation that takes the first one.
    private func candidates(after cursor: IPv4Address?) -> some Sequence<IPv4Address> {
        let first = UInt64(subnet.firstHost.value)
        let last = UInt64(subnet.lastHost.value)
        let span = last - first + 1
        var offset: UInt64 = 0
        if let cursor, (first...last).contains(UInt64(cursor.value)) {
            offset = (UInt64(cursor.value) - first + 1) % span
        }
        return (0..<span).lazy.map { step in
            IPv4Address(UInt32(truncatingIfNeeded: first + (offset + step) % span))
        }
    }

    private static func validate(owner: String) throws {
        guard !owner.isEmpty, owner.utf8.count <= maxOwnerLength,
              !owner.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw RuntimeError(
                "pod IP owner \(String(reflecting: owner)): must be 1...\(maxOwnerLength) bytes without control characters")
        }
    }
}
