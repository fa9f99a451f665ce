import Foundation
import Glibc
import NodeRuntime
import Testing

/// Pod IP allocation from a node subnet, on a scratch IPAM directory per test.
@Suite struct IPAMTests {
    /// A PodIPAM on node 0's subnet of a layout with this node prefix length.
    func makeIPAM(_ directory: String, nodePrefixLength: Int = 24) throws -> PodIPAM {
        let config = try NetworkConfig(nodeSubnetPrefixLength: nodePrefixLength)
        let subnet = try config.nodeSubnet(index: 0)
        return try PodIPAM(directory: directory, subnet: subnet, gateway: config.gateway(of: subnet))
    }

    @Test func twoHundredAllocationsAreDistinctHostAddresses() async throws {
        try await withIPAMTestDirectory { directory in
            let ipam = try makeIPAM(directory)
            #expect(ipam.capacity == 253)
            var seen = Set<IPv4Address>()
            for index in 0..<200 {
                let address = try ipam.allocate(owner: "sandbox-\(index)")
                #expect(seen.insert(address).inserted, "\(address) handed out twice")
            }
            #expect(seen.count == 200)
            #expect(seen.allSatisfy { ipam.subnet.contains($0) })
            for excluded in ["10.42.0.0", "10.42.0.1", "10.42.0.255"] {
                #expect(!seen.contains(try IPv4Address(parsing: excluded)))
            }
            // Round-robin from an empty directory is address order from .2.
            #expect(seen.min() == IPv4Address(10, 42, 0, 2))
            #expect(seen.max() == IPv4Address(10, 42, 0, 201))
            #expect(try ipam.allocations().count == 200)
        }
    }

    @Test func allocationIsIdempotentPerOwner() async throws {
        try await withIPAMTestDirectory { directory in
            let ipam = try makeIPAM(directory)
            let first = try ipam.allocate(owner: "sandbox-a")
            let other = try ipam.allocate(owner: "sandbox-b")
            #expect(try ipam.allocate(owner: "sandbox-a") == first)
            #expect(try ipam.allocate(owner: "sandbox-b") == other)
            #expect(first != other)
            #expect(try ipam.allocation(for: "sandbox-a") == first)
            #expect(try ipam.allocation(for: "sandbox-c") == nil)
            #expect(try ipam.allocations() == [
                PodIPAMAllocation(address: first, owner: "sandbox-a"),
                PodIPAMAllocation(address: other, owner: "sandbox-b"),
            ])
        }
    }

    @Test func releasedAddressIsReusedOnlyAfterWrapAround() async throws {
        try await withIPAMTestDirectory { directory in
            let ipam = try makeIPAM(directory)
            let a = try ipam.allocate(owner: "a")
            let x = try ipam.allocate(owner: "x")
            let c = try ipam.allocate(owner: "c")
            #expect([a, x, c].map(\.description) == ["10.42.0.2", "10.42.0.3", "10.42.0.4"])
            #expect(try ipam.release(owner: "x") == x)
            #expect(try ipam.release(owner: "x") == nil)
            #expect(try ipam.allocation(for: "x") == nil)

            // .5 ... .254 come first: 250 addresses, none of them X.
            for index in 0..<250 {
                let address = try ipam.allocate(owner: "later-\(index)")
                #expect(address != x)
            }
            // Then the search wraps, skips .2 (held) and finds X free again.
            #expect(try ipam.allocate(owner: "after-wrap") == x)
            #expect(throws: RuntimeError("no free pod IP in 10.42.0.0/24")) { try ipam.allocate(owner: "one-too-many") }
        }
    }

    @Test func stateSurvivesANewInstance() async throws {
        try await withIPAMTestDirectory { directory in
            var held: [String: IPv4Address] = [:]
            do {
                let before = try makeIPAM(directory)
                for index in 0..<10 { held["sandbox-\(index)"] = try before.allocate(owner: "sandbox-\(index)") }
                try before.release(owner: "sandbox-9")
                held["sandbox-9"] = nil
            }
            let after = try makeIPAM(directory)
            for (owner, address) in held {
                #expect(try after.allocation(for: owner) == address)
                #expect(try after.allocate(owner: owner) == address)
            }
            // The cursor persisted too: the released .11 is not handed out next.
            let fresh = try after.allocate(owner: "sandbox-new")
            #expect(!held.values.contains(fresh))
            #expect(fresh == IPv4Address(10, 42, 0, 12))
            #expect(try after.allocations().count == 10)
        }
    }

    @Test func exhaustionNamesTheSubnetAndChangesNothing() async throws {
        try await withIPAMTestDirectory { directory in
            let ipam = try makeIPAM(directory, nodePrefixLength: 28)
            #expect(ipam.subnet.description == "10.42.0.0/28")
            #expect(ipam.capacity == 13)
            var seen = Set<IPv4Address>()
            for index in 0..<13 { seen.insert(try ipam.allocate(owner: "pod-\(index)")) }
            #expect(seen.count == 13)
            #expect(seen.min() == IPv4Address(10, 42, 0, 2) && seen.max() == IPv4Address(10, 42, 0, 14))

            let before = try ipamDirectorySnapshot(directory)
            #expect(throws: RuntimeError("no free pod IP in 10.42.0.0/28")) { try ipam.allocate(owner: "pod-13") }
            #expect(try ipamDirectorySnapshot(directory) == before)
            #expect(try ipam.allocation(for: "pod-13") == nil)
            // A pod that already holds an address still gets it from a full pool.
            #expect(try ipam.allocate(owner: "pod-4") == IPv4Address(10, 42, 0, 6))
        }
    }

    @Test func reconcileFreesAddressesOfDeadOwners() async throws {
        try await withIPAMTestDirectory { directory in
            let ipam = try makeIPAM(directory)
            let alive = try ipam.allocate(owner: "alive")
            let dead = try ipam.allocate(owner: "dead")
            let alsoAlive = try ipam.allocate(owner: "also-alive")
            // A record a crash left before its owner was written, and files
            // that are not records at all.
            #expect(FileManager.default.createFile(atPath: "\(directory)/10.42.0.50", contents: Data()))
            #expect(FileManager.default.createFile(atPath: "\(directory)/notes.txt", contents: Data("x".utf8)))
            #expect(FileManager.default.createFile(atPath: "\(directory)/10.42.0.050", contents: Data("y".utf8)))

            let freed = try ipam.reconcile(liveOwners: ["alive", "also-alive", "gone-before-it-started"])
            #expect(freed == [
                PodIPAMAllocation(address: dead, owner: "dead"),
                PodIPAMAllocation(address: IPv4Address(10, 42, 0, 50), owner: ""),
            ])
            #expect(try ipam.allocations() == [
                PodIPAMAllocation(address: alive, owner: "alive"),
                PodIPAMAllocation(address: alsoAlive, owner: "also-alive"),
            ])
            #expect(FileManager.default.fileExists(atPath: "\(directory)/notes.txt"))
            #expect(try ipam.reconcile(liveOwners: ["alive", "also-alive"]).isEmpty)
        }
    }

    @Test func concurrentAllocationsFromEightTasksAreDistinct() async throws {
        try await withIPAMTestDirectory { directory in
            let shared = try makeIPAM(directory)
            let addresses = try await withThrowingTaskGroup(of: [IPv4Address].self) { group in
                for task in 0..<8 {
                    group.addTask {
                        try (0..<25).map { try shared.allocate(owner: "task-\(task)-pod-\($0)") }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(addresses.count == 200)
            #expect(Set(addresses).count == 200)
            #expect(try shared.allocations().count == 200)
        }
    }

    /// Separate instances hold separate lock descriptors, as separate
    /// processes would, so only `flock` keeps them apart.
    @Test func concurrentInstancesOnOneDirectoryAreDistinct() async throws {
        try await withIPAMTestDirectory { directory in
            _ = try makeIPAM(directory)
            let addresses = try await withThrowingTaskGroup(of: [IPv4Address].self) { group in
                for task in 0..<8 {
                    group.addTask {
                        let own = try makeIPAM(directory)
                        return try (0..<25).map { try own.allocate(owner: "task-\(task)-pod-\($0)") }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(Set(addresses).count == 200)
            #expect(try makeIPAM(directory).allocations().count == 200)
        }
    }

    /// An instance keeps what it read while the directory is unchanged; records
    /// another instance (another process) or an operator adds or removes are
    /// seen all the same, at once, with no sleep between the changes.
    @Test func changesByOthersAreSeenDespiteWhatIsKnown() async throws {
        try await withIPAMTestDirectory { directory in
            let ours = try makeIPAM(directory)
            let theirs = try makeIPAM(directory)
            let a = try ours.allocate(owner: "sandbox-a")
            let b = try theirs.allocate(owner: "sandbox-b")
            #expect(a != b)
            #expect(try ours.allocation(for: "sandbox-b") == b)
            // Their cursor moved past b; ours must not hand b out again.
            let c = try ours.allocate(owner: "sandbox-c")
            #expect(![a, b].contains(c))
            // An operator frees a leaked address by hand.
            #expect(unlink("\(directory)/\(c)") == 0)
            #expect(try ours.allocation(for: "sandbox-c") == nil)
            // A record written by hand (or by a process that bypassed the stamp) is never handed out twice.
            let next = IPv4Address(c.value + 1)
            #expect(FileManager.default.createFile(atPath: "\(directory)/\(next)", contents: Data("sandbox-x\n".utf8)))
            let d = try ours.allocate(owner: "sandbox-d")
            #expect(![a, b, next].contains(d))
            #expect(try theirs.allocation(for: "sandbox-x") == next)
            #expect(try ours.release(owner: "sandbox-x") == next)
            #expect(try theirs.allocations().map(\.owner).sorted() == ["sandbox-a", "sandbox-b", "sandbox-d"])
        }
    }

    @Test func rejectsBadOwnersAndSubnets() async throws {
        try await withIPAMTestDirectory { directory in
            let ipam = try makeIPAM(directory)
            #expect(throws: RuntimeError(#"pod IP owner "": must be 1...1024 bytes without control characters"#)) {
                try ipam.allocate(owner: "")
            }
            #expect(throws: RuntimeError(#"pod IP owner "a\nb": must be 1...1024 bytes without control characters"#)) {
                try ipam.release(owner: "a\nb")
            }
            let tiny = try IPv4Network(parsing: "10.42.0.0/31")
            #expect(throws: RuntimeError("pod subnet 10.42.0.0/31: prefix length must be 30 or less to leave pod IPs beside the gateway")) {
                try PodIPAM(directory: directory, subnet: tiny, gateway: IPv4Address(10, 42, 0, 1))
            }
            #expect(throws: RuntimeError("gateway 10.42.1.1: not a host address of pod subnet 10.42.0.0/24")) {
                try PodIPAM(directory: directory, subnet: ipam.subnet, gateway: IPv4Address(10, 42, 1, 1))
            }
            #expect(throws: RuntimeError("gateway 10.42.0.255: not a host address of pod subnet 10.42.0.0/24")) {
                try PodIPAM(directory: directory, subnet: ipam.subnet, gateway: IPv4Address(10, 42, 0, 255))
            }
        }
    }
}
