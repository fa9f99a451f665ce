import Glibc
import NodeRuntime
import Testing

@testable import Dataplane

/// The iptables backend against the kernel, in a network namespace made per
/// test: hooks stay single across restarts, updates delete what they no
/// longer use, damage is noticed, teardown leaves nothing. (Traffic through
/// the rules is tested on both backends by the proxy's tests.)
@Suite(.enabled(if: IPTablesTestNetns.isAvailable, "needs root, iproute2 and iptables"))
struct IPTablesBackendTests {
    static func table(backends: Int) throws -> ForwardingTable {
        let config = DataplaneConfig(podCIDRs: [try IPv4Network(parsing: "10.42.0.0/16")])
        let service = ServiceSpec(
            id: ServiceID(namespace: "default", name: "web"), clusterIP: IPv4Address(10, 96, 0, 10),
            ports: [ServicePortSpec(name: "http", port: 80, nodePort: 30080)], affinityTimeoutSeconds: 60,
            endpoints: (0..<backends).map { EndpointSpec(ip: IPv4Address(10, 42, 0, UInt8(1 + $0)), ports: [.init(name: "http", port: 8080)]) })
        return try ForwardingCompiler(config: config).compile([service])
    }

    @Test func restartsKeepOneHookEachAndUpdatesDeleteUnusedChains() throws {
        let netns = try IPTablesTestNetns()
        defer { netns.remove() }
        let config = DataplaneConfig(netnsPath: netns.path, podCIDRs: [])
        let three = try Self.table(backends: 3)
        try IPTablesBackend(config: config).fullSync(three)
        // A restarted daemon: a new backend that knows nothing of the first.
        let backend = try IPTablesBackend(config: config)
        #expect(try backend.isIntact() == false, "nothing programmed by this instance yet")
        try backend.fullSync(three)
        var saved = try netns.save()
        for hook in IPTablesHook.all {
            #expect(saved.components(separatedBy: "-A \(hook.chain) \(hook.spec)\n").count == 2, "\(hook): \(saved)")
        }
        #expect(saved.components(separatedBy: ":SKIFF-SEP-").count == 7, "3 endpoints x (ClusterIP, NodePort): \(saved)")
        #expect(try backend.isIntact())

        try backend.update(to: try Self.table(backends: 1))
        saved = try netns.save()
        #expect(saved.components(separatedBy: ":SKIFF-SEP-").count == 3, "\(saved)")
        #expect(saved.components(separatedBy: ":SKIFF-SVC-").count == 3, "\(saved)")
        try backend.update(to: try Self.table(backends: 0))
        saved = try netns.save()
        #expect(!saved.contains("SKIFF-SVC-") && !saved.contains("SKIFF-SEP-"), "\(saved)")
        #expect(saved.contains("-A SKIFF-EXTERNAL-SERVICES"), "\(saved)")
        #expect(try backend.isIntact())

        try backend.teardown()
        #expect(!(try netns.save()).contains("SKIFF"))
    }

    @Test func flushingTheChainsIsNoticedAndRepaired() throws {
        let netns = try IPTablesTestNetns()
        defer { netns.remove() }
        let backend = try IPTablesBackend(config: DataplaneConfig(netnsPath: netns.path, podCIDRs: []))
        let table = try Self.table(backends: 2)
        try backend.fullSync(table)
        #expect(try backend.isIntact())
        try netns.iptables(["-t", "nat", "-F", "SKIFF-SERVICES"])
        #expect(try backend.isIntact() == false)
        try backend.fullSync(table)
        #expect(try backend.isIntact())
        try netns.iptables(["-t", "nat", "-F"])
        #expect(try backend.isIntact() == false)
        try backend.fullSync(table)
        #expect(try backend.isIntact())
        _ = try HostCommand(path: "/usr/sbin/nft", arguments: ["flush", "ruleset"], netnsPath: netns.path).check()
        #expect(try backend.isIntact() == false)
        try backend.fullSync(table)
        #expect(try backend.isIntact())
        try backend.teardown()
    }

    @Test func aRefusedRestoreSaysWhichLine() throws {
        let netns = try IPTablesTestNetns()
        defer { netns.remove() }
        let restore = HostCommand(path: "/usr/sbin/iptables-restore", arguments: ["--noflush"], netnsPath: netns.path)
        #expect {
            try restore.check(input: "*nat\n-A NO-SUCH-CHAIN -j ACCEPT\nCOMMIT\n")
        } throws: { error in
            guard case .command(let step, let status, let output) = error as? DataplaneError else { return false }
            return step == "/usr/sbin/iptables-restore --noflush" && status != 0 && output.contains("line 2")
        }
    }

    @Test func aMissingNamespaceIsRefusedUpFront() {
        #expect(throws: DataplaneError.kernel(step: "access /run/netns/skiff-ipt-missing", errno: ENOENT)) {
            try IPTablesBackend(config: DataplaneConfig(netnsPath: "/run/netns/skiff-ipt-missing", podCIDRs: []))
        }
    }
}

/// A network namespace for one test (`ip netns add skiff-ipt-...`); `remove()` deletes it.
struct IPTablesTestNetns {
    static let ip = "/usr/sbin/ip"
    static var isAvailable: Bool {
        geteuid() == 0 && access(ip, X_OK) == 0 && access("/usr/sbin/iptables-restore", X_OK) == 0
            && access("/usr/sbin/nft", X_OK) == 0
    }

    let name: String
    var path: String { "/run/netns/\(name)" }

    init() throws {
        name = "skiff-ipt-\(UInt32.random(in: 0...UInt32.max))"
        _ = try HostCommand(path: Self.ip, arguments: ["netns", "add", name]).check()
    }

    func remove() {
        _ = try? HostCommand(path: Self.ip, arguments: ["netns", "del", name]).check()
    }

    func save() throws -> String {
        try HostCommand(path: "/usr/sbin/iptables-save", arguments: [], netnsPath: path, outputLimit: 16 << 20).check()
    }

    func iptables(_ arguments: [String]) throws {
        _ = try HostCommand(path: "/usr/sbin/iptables", arguments: ["-w", "5"] + arguments, netnsPath: path).check()
    }
}
