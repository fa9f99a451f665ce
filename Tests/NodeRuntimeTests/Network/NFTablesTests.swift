import Foundation
import Testing
@testable import NodeRuntime

/// The egress rule through libnftables, inside a namespace the test owns.
@Suite struct NFTablesTests {
    @Test func egressMasqueradeIsProgrammedInOwnTableOnly() throws {
        let netns = try TestNetns()
        defer { netns.remove() }
        let subnet = try IPv4Network(parsing: "10.244.7.0/24")
        let cluster = try IPv4Network(parsing: "10.244.0.0/16")
        let script = NFTables.egressMasqueradeScript(podSubnet: subnet, clusterCIDR: cluster)
        try NFTables.run(script, netnsPath: netns.path)
        try NFTables.run(script, netnsPath: netns.path) // idempotent: one rule, not two
        let listing = try Shell.run("/usr/sbin/ip", ["netns", "exec", netns.name, "nft", "list", "ruleset"])
        #expect(listing.stdout.contains("table ip skiff"), "\(listing.stdout)")
        #expect(listing.stdout.components(separatedBy: "masquerade").count == 2, "\(listing.stdout)")
        #expect(listing.stdout.contains("ip saddr 10.244.7.0/24 ip daddr != 10.244.0.0/16 masquerade"), "\(listing.stdout)")
    }

    @Test func aBadScriptAppliesNothingAndSaysWhy() throws {
        let netns = try TestNetns()
        defer { netns.remove() }
        #expect {
            try NFTables.run("add table ip skiff\nadd chain ip skiff c { type nat hook nowhere priority 0; }", netnsPath: netns.path)
        } throws: { error in
            "\(error)" == "nftables: Error: unknown chain hook"
        }
        let listing = try Shell.run("/usr/sbin/ip", ["netns", "exec", netns.name, "nft", "list", "ruleset"])
        #expect(!listing.stdout.contains("skiff"), "the transaction must not be half-applied: \(listing.stdout)")
    }
}

/// A network namespace made for one test (`ip netns add`), removed by `remove()`.
struct TestNetns {
    let name: String
    var path: String { "/run/netns/\(name)" }

    init() throws {
        name = "skiff-t-\(UUID().uuidString.prefix(8).lowercased())"
        let result = try Shell.run("/usr/sbin/ip", ["netns", "add", name])
        guard result.status == 0 else { throw TestFailure("ip netns add \(name): \(result.stderr)") }
    }

    func remove() {
        _ = try? Shell.run("/usr/sbin/ip", ["netns", "delete", name])
    }
}
