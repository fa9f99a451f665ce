import Dataplane
import Foundation
import NetnsLab
import NodeRuntime
import Testing

/// The nftables backend against a real kernel: what a change costs in
/// transactions, and what ends up in the table.
@Suite("nftables backend", .serialized)
struct NFTablesBackendTests {
    func nft(_ lab: ProxyLab, _ arguments: [String]) throws -> String {
        try LabCommand.run("/usr/sbin/ip", ["netns", "exec", lab.lab.nodeName, "nft"] + arguments)
    }

    @Test("an endpoint swap is element operations only; a count change adds its class and drops the unused one")
    func incremental() async throws {
        try await ProxyLab.with(.nftables, pods: 1) { lab in
            // This test drives its own proxy: the lab's must not repair the
            // table back to its own (empty) state meanwhile.
            try await lab.proxy.stop(removeRules: false)
            let backend = try NFTablesBackend(config: lab.config)
            let proxy = ServiceProxy(config: lab.config, backend: backend)
            try await proxy.start([ProxyLab.web(endpoints: [0])])
            var service = ProxyLab.web(endpoints: [0])
            service.endpoints.append(EndpointSpec(ip: IPv4Address(10, 42, 0, 50), ports: [.init(name: "http", port: 8080)]))
            try await proxy.upsert(service)
            let structure = backend.structureTransactions
            service.endpoints[1].ip = IPv4Address(10, 42, 0, 51)
            try await proxy.upsert(service)
            #expect(backend.structureTransactions == structure)
            let map = try nft(lab, ["list", "map", "ip", "skiff-services", "svc-endpoints-tcp"])
            #expect(map.contains("10.42.0.51 . 8080") && !map.contains("10.42.0.50"), "\(map)")
            let netlink = try NFTNetlink(netnsPath: lab.config.netnsPath)
            let sets = try #require(try netlink.setNames(table: "skiff-services"))
            #expect(sets.contains("svc-tcp-n2") && sets.contains("np-masq-tcp-n2") && !sets.contains("svc-tcp-n1"), "\(sets)")
            #expect(try backend.isIntact())
            try await proxy.stop(removeRules: true)
            #expect(try netlink.setNames(table: "skiff-services") == nil)
        }
    }

    @Test("someone else's tables are left alone, and our table is checked by its own objects only")
    func otherTables() async throws {
        try await ProxyLab.with(.nftables, pods: 1) { lab in
            try await lab.proxy.upsert(ProxyLab.web(endpoints: [0]))
            _ = try nft(lab, ["add", "table", "ip", "other"])
            _ = try nft(lab, ["add", "chain", "ip", "other", "c", "{ type filter hook forward priority 0; }"])
            #expect(try await lab.proxy.checkNow() == false)
            #expect(await lab.proxy.repairCount() == 0)
            _ = try nft(lab, ["flush", "chain", "ip", "skiff-services", "services"])
            // The repair timer may get there before this explicit check does:
            // either way there is exactly one repair.
            _ = try await lab.proxy.checkNow()
            #expect(await lab.proxy.repairCount() == 1)
            #expect(try nft(lab, ["list", "tables"]).contains("table ip other"))
            #expect(lab.tcp(to: ProxyLab.clusterIP, port: 80).replier == "pod0")
        }
    }
}
