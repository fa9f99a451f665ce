import NodeRuntime
import Testing

@testable import Dataplane

/// The iptables text generated for a ForwardingTable: pure, no kernel.
@Suite struct IPTablesRulesetTests {
    static let vip = IPv4Address(10, 96, 0, 10)
    static let pods = (1...3).map { IPv4Address(10, 42, 0, UInt8($0)) }
    static let web = ServiceID(namespace: "default", name: "web")

    static func table(
        backends: Int = 3, nodePort: UInt16? = nil, affinity: UInt32? = nil, proto: L4Protocol = .tcp,
        extra: [ServiceSpec] = []
    ) throws -> ForwardingTable {
        let config = DataplaneConfig(podCIDRs: [try IPv4Network(parsing: "10.42.0.0/16")])
        let service = ServiceSpec(
            id: web, clusterIP: vip, ports: [ServicePortSpec(name: "http", proto: proto, port: 80, nodePort: nodePort)],
            affinityTimeoutSeconds: affinity,
            endpoints: pods.prefix(backends).map { EndpointSpec(ip: $0, ports: [.init(name: "http", proto: proto, port: 8080)]) })
        return try ForwardingCompiler(config: config).compile([service] + extra)
    }

    static func script(_ table: ForwardingTable, existing: IPTablesSavedState = IPTablesSavedState()) -> String {
        IPTablesRuleset(table: table, masqueradeMark: 0x4000).fullSyncScript(replacing: existing)
    }

    /// The lines of one table's part of a script.
    static func lines(_ script: String, table: String) -> [String] {
        let sections = script.components(separatedBy: "COMMIT\n")
        guard let section = sections.first(where: { $0.hasPrefix("*\(table)\n") }) else { return [] }
        return section.split(separator: "\n").map(String.init)
    }

    static let clusterFrontend = Frontend(address: .ip(vip), proto: .tcp, port: 80)
    static let nodePortFrontend = Frontend(address: .nodePort, proto: .tcp, port: 30080)

    @Test func chainNamesAreStablePerFrontendAndFitTheKernelLimit() {
        let svc = IPTablesChainName.service(Self.clusterFrontend)
        #expect(svc == IPTablesChainName.service(Frontend(address: .ip(Self.vip), proto: .tcp, port: 80)))
        #expect(svc.hasPrefix("SKIFF-SVC-") && svc.count == 26)
        #expect(svc != IPTablesChainName.service(Self.nodePortFrontend))
        #expect(svc != IPTablesChainName.service(Frontend(address: .ip(Self.vip), proto: .udp, port: 80)))
        let sep = IPTablesChainName.endpoint(Self.clusterFrontend, BackendAddress(ip: Self.pods[0], port: 8080))
        #expect(sep.hasPrefix("SKIFF-SEP-") && sep.count == 26)
        #expect(sep != IPTablesChainName.endpoint(Self.clusterFrontend, BackendAddress(ip: Self.pods[1], port: 8080)))
        #expect(sep != IPTablesChainName.endpoint(Self.nodePortFrontend, BackendAddress(ip: Self.pods[0], port: 8080)))
        // FNV-1a 64 reference values, so names survive a rebuild.
        #expect(IPTablesChainName.hash("") == "CBF29CE484222325")
        #expect(IPTablesChainName.hash("a") == "AF63DC4C8601EC8C")
    }

    @Test func probabilitiesAreOneOverTheRemainingEndpoints() {
        #expect(IPTablesRuleset.probability(oneIn: 2) == "0.5000000000")
        #expect(IPTablesRuleset.probability(oneIn: 3) == "0.3333333333")
        #expect(IPTablesRuleset.probability(oneIn: 6) == "0.1666666667")
        #expect(IPTablesRuleset.probability(oneIn: 7) == "0.1428571429")
        #expect(IPTablesRuleset.probability(oneIn: 10_000) == "0.0001000000")
    }

    @Test func clusterIPJumpsToAServiceChainThatSpreadsOverItsEndpoints() throws {
        let nat = Self.lines(Self.script(try Self.table()), table: "nat")
        let svc = IPTablesChainName.service(Self.clusterFrontend)
        let seps = Self.pods.map { IPTablesChainName.endpoint(Self.clusterFrontend, BackendAddress(ip: $0, port: 8080)) }
        #expect(nat.contains(":\(svc) - [0:0]"))
        #expect(nat.contains { $0.hasPrefix("-A SKIFF-SERVICES ") && $0.hasSuffix("-d 10.96.0.10/32 -p tcp --dport 80 -j \(svc)") })
        #expect(nat.filter { $0.hasPrefix("-A \(svc) ") } == [
            "-A \(svc) -m statistic --mode random --probability 0.3333333333 -j \(seps[0])",
            "-A \(svc) -m statistic --mode random --probability 0.5000000000 -j \(seps[1])",
            "-A \(svc) -j \(seps[2])",
        ])
        #expect(nat.filter { $0.hasPrefix("-A \(seps[1]) ") } == [
            "-A \(seps[1]) -s 10.42.0.2/32 -j SKIFF-MARK-MASQ",
            "-A \(seps[1]) -p tcp -j DNAT --to-destination 10.42.0.2:8080",
        ])
        // A ClusterIP is not masqueraded (only hairpin traffic is).
        #expect(!nat.contains("-A \(svc) -j SKIFF-MARK-MASQ"))
    }

    @Test func oneEndpointIsChosenWithoutStatistic() throws {
        let nat = Self.lines(Self.script(try Self.table(backends: 1, proto: .udp)), table: "nat")
        let frontend = Frontend(address: .ip(Self.vip), proto: .udp, port: 80)
        let svc = IPTablesChainName.service(frontend)
        let sep = IPTablesChainName.endpoint(frontend, BackendAddress(ip: Self.pods[0], port: 8080))
        #expect(nat.filter { $0.hasPrefix("-A \(svc) ") } == ["-A \(svc) -j \(sep)"])
        #expect(nat.contains("-A \(sep) -p udp -j DNAT --to-destination 10.42.0.1:8080"))
        #expect(nat.contains { $0.hasSuffix("-d 10.96.0.10/32 -p udp --dport 80 -j \(svc)") })
    }

    @Test func nodePortHasItsOwnMasqueradingChainBehindTheLastServicesRule() throws {
        let nat = Self.lines(Self.script(try Self.table(backends: 2, nodePort: 30080)), table: "nat")
        let clusterSVC = IPTablesChainName.service(Self.clusterFrontend)
        let nodeSVC = IPTablesChainName.service(Self.nodePortFrontend)
        #expect(clusterSVC != nodeSVC)
        #expect(nat.contains { $0.hasPrefix("-A SKIFF-NODEPORTS ") && $0.hasSuffix("-p tcp --dport 30080 -j \(nodeSVC)") })
        #expect(!nat.contains { $0.hasPrefix("-A SKIFF-SERVICES ") && $0.hasSuffix(nodeSVC) })
        let services = nat.filter { $0.hasPrefix("-A SKIFF-SERVICES ") }
        #expect(services.count == 2)
        #expect(services.last == "-A SKIFF-SERVICES \(IPTablesRuleset.nodePortsJump)")
        #expect(services.last?.contains("-m addrtype --dst-type LOCAL -j SKIFF-NODEPORTS") == true)
        let nodeChain = nat.filter { $0.hasPrefix("-A \(nodeSVC) ") }
        #expect(nodeChain.first == "-A \(nodeSVC) -j SKIFF-MARK-MASQ")
        #expect(nodeChain.count == 3)
        #expect(nodeChain.last?.hasPrefix("-A \(nodeSVC) -j SKIFF-SEP-") == true)
    }

    @Test func masqueradeChainsUseTheConfiguredMark() throws {
        let script = IPTablesRuleset(table: try Self.table(), masqueradeMark: 0x8000).fullSyncScript(replacing: IPTablesSavedState())
        let nat = Self.lines(script, table: "nat")
        #expect(nat.contains("-A SKIFF-MARK-MASQ -j MARK --or-mark 0x8000"))
        #expect(nat.filter { $0.hasPrefix("-A SKIFF-POSTROUTING ") } == [
            "-A SKIFF-POSTROUTING -m mark ! --mark 0x8000/0x8000 -j RETURN",
            "-A SKIFF-POSTROUTING -j MARK --xor-mark 0x8000",
            "-A SKIFF-POSTROUTING -m comment --comment \"skiff service traffic requiring SNAT\" -j MASQUERADE --random-fully",
        ])
    }

    @Test func sessionAffinityChecksEveryEndpointBeforeChoosing() throws {
        let nat = Self.lines(Self.script(try Self.table(backends: 2, affinity: 10_800)), table: "nat")
        let svc = IPTablesChainName.service(Self.clusterFrontend)
        let seps = Self.pods.prefix(2).map { IPTablesChainName.endpoint(Self.clusterFrontend, BackendAddress(ip: $0, port: 8080)) }
        let recent = "--mask 255.255.255.255 --rsource"
        #expect(nat.filter { $0.hasPrefix("-A \(svc) ") } == [
            "-A \(svc) -m recent --name \(seps[0]) \(recent) --rcheck --seconds 10800 --reap -j \(seps[0])",
            "-A \(svc) -m recent --name \(seps[1]) \(recent) --rcheck --seconds 10800 --reap -j \(seps[1])",
            "-A \(svc) -m statistic --mode random --probability 0.5000000000 -j \(seps[0])",
            "-A \(svc) -j \(seps[1])",
        ])
        #expect(nat.contains("-A \(seps[0]) -p tcp -m recent --name \(seps[0]) \(recent) --set -j DNAT --to-destination 10.42.0.1:8080"))
    }

    @Test func frontendsWithoutEndpointsAreRejectedInFilterOnly() throws {
        let script = Self.script(try Self.table(backends: 0, nodePort: 30080))
        let nat = Self.lines(script, table: "nat")
        let filter = Self.lines(script, table: "filter")
        #expect(!nat.contains { $0.contains("SKIFF-SVC-") || $0.contains("SKIFF-SEP-") })
        #expect(filter.contains {
            $0.hasPrefix("-A SKIFF-SERVICES -m comment --comment \"default/web:http has no endpoints\"")
                && $0.hasSuffix("-d 10.96.0.10/32 -p tcp --dport 80 -j REJECT")
        })
        #expect(filter.contains {
            $0.hasPrefix("-A SKIFF-EXTERNAL-SERVICES ") && $0.hasSuffix("-m addrtype --dst-type LOCAL -p tcp --dport 30080 -j REJECT")
        })
    }

    @Test func hooksAreInsertedOnceAndOldOnesDeletedFirst() throws {
        let existing = IPTablesSavedState(parsing: """
            *nat
            :PREROUTING ACCEPT [0:0]
            :SKIFF-SERVICES - [0:0]
            :SKIFF-SVC-OLD0000000000000 - [0:0]
            -A PREROUTING -m comment --comment "skiff service portals" -j SKIFF-SERVICES
            -A PREROUTING -m comment --comment "skiff service portals" -j SKIFF-SERVICES
            -A PREROUTING -j DOCKER
            -A SKIFF-SERVICES -j SKIFF-SVC-OLD0000000000000
            COMMIT
            *filter
            :SKIFF-OBSOLETE - [0:0]
            -A INPUT -j SKIFF-OBSOLETE
            COMMIT
            """)
        let script = Self.script(try Self.table(), existing: existing)
        let nat = Self.lines(script, table: "nat")
        let filter = Self.lines(script, table: "filter")
        let deletion = "-D PREROUTING -m comment --comment \"skiff service portals\" -j SKIFF-SERVICES"
        #expect(nat.filter { $0 == deletion }.count == 2)
        #expect(!nat.contains { $0.contains("DOCKER") })
        let inserts = nat.filter { $0.hasPrefix("-I ") }
        #expect(inserts == [
            "-I PREROUTING 1 -m comment --comment \"skiff service portals\" -j SKIFF-SERVICES",
            "-I OUTPUT 1 -m comment --comment \"skiff service portals\" -j SKIFF-SERVICES",
            "-I POSTROUTING 1 -m comment --comment \"skiff postrouting rules\" -j SKIFF-POSTROUTING",
        ])
        if let lastDelete = nat.lastIndex(of: deletion), let firstInsert = nat.firstIndex(where: { $0.hasPrefix("-I ") }) {
            #expect(lastDelete < firstInsert)
        }
        // Unwanted chains of an earlier run are emptied and deleted, last; wanted ones are kept.
        #expect(nat.contains(":SKIFF-SVC-OLD0000000000000 - [0:0]"))
        #expect(nat.last == "-X SKIFF-SVC-OLD0000000000000")
        #expect(!nat.contains("-X SKIFF-SERVICES"))
        #expect(filter.contains("-D INPUT -j SKIFF-OBSOLETE"))
        #expect(filter.last == "-X SKIFF-OBSOLETE")
        #expect(filter.filter { $0.hasPrefix("-I INPUT ") } == [
            "-I INPUT 1 -m conntrack --ctstate NEW -m comment --comment \"skiff externally-visible service portals\" -j SKIFF-EXTERNAL-SERVICES"
        ])
        #expect(filter.filter { $0.hasPrefix("-I FORWARD ") } == [
            "-I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment \"skiff service portals\" -j SKIFF-SERVICES"
        ])
        #expect(filter.filter { $0.hasPrefix("-I OUTPUT ") } == [
            "-I OUTPUT 1 -m conntrack --ctstate NEW -m comment --comment \"skiff service portals\" -j SKIFF-SERVICES",
            "-I OUTPUT 2 -m conntrack --ctstate NEW -m comment --comment \"skiff externally-visible service portals\" -j SKIFF-EXTERNAL-SERVICES",
        ])
        // Built-in chains are never declared: that would flush other software's rules.
        #expect(!(nat + filter).contains { $0.hasPrefix(":PREROUTING") || $0.hasPrefix(":INPUT") || $0.hasPrefix(":OUTPUT") })
    }

    @Test func minimalUpdateRewritesOnlyTheChangedFrontend() throws {
        let dns = ServiceSpec(
            id: ServiceID(namespace: "kube-system", name: "dns"), clusterIP: IPv4Address(10, 96, 0, 53),
            ports: [ServicePortSpec(name: "dns", proto: .udp, port: 53)],
            endpoints: [EndpointSpec(ip: IPv4Address(10, 42, 1, 1), ports: [.init(name: "dns", proto: .udp, port: 53)])])
        let before = try Self.table(backends: 3, extra: [dns])
        let after = try Self.table(backends: 2, extra: [dns])
        let ruleset = IPTablesRuleset(table: after, masqueradeMark: 0x4000)
        let script = try #require(ruleset.updateScript(applying: ForwardingDiff(from: before, to: after)))
        let nat = Self.lines(script, table: "nat")
        let filter = Self.lines(script, table: "filter")

        let dnsFrontend = Frontend(address: .ip(IPv4Address(10, 96, 0, 53)), proto: .udp, port: 53)
        let dnsSVC = IPTablesChainName.service(dnsFrontend)
        let webSVC = IPTablesChainName.service(Self.clusterFrontend)
        let seps = Self.pods.map { IPTablesChainName.endpoint(Self.clusterFrontend, BackendAddress(ip: $0, port: 8080)) }
        let declared = Set(nat.filter { $0.hasPrefix(":") })
        #expect(declared == Set([
            ":SKIFF-SERVICES - [0:0]", ":SKIFF-NODEPORTS - [0:0]", ":\(webSVC) - [0:0]",
            ":\(seps[0]) - [0:0]", ":\(seps[1]) - [0:0]", ":\(seps[2]) - [0:0]",
        ]))
        // The unchanged Service's chains are only jumped to from the rewritten portal chain.
        #expect(nat.filter { $0.contains(dnsSVC) }.count == 1)
        #expect(nat.contains { $0.hasPrefix("-A SKIFF-SERVICES ") && $0.hasSuffix("-j \(dnsSVC)") })
        #expect(nat.filter { $0.hasPrefix("-A \(webSVC) ") } == [
            "-A \(webSVC) -m statistic --mode random --probability 0.5000000000 -j \(seps[0])",
            "-A \(webSVC) -j \(seps[1])",
        ])
        #expect(nat.last == "-X \(seps[2])")
        #expect(!nat.contains { $0.hasPrefix("-A SKIFF-POSTROUTING") || $0.hasPrefix("-A SKIFF-MARK-MASQ") || $0.hasPrefix("-I ") || $0.hasPrefix("-D ") })
        #expect(Set(filter.filter { $0.hasPrefix(":") }) == [":SKIFF-SERVICES - [0:0]", ":SKIFF-EXTERNAL-SERVICES - [0:0]"])

        #expect(ruleset.updateScript(applying: ForwardingDiff(from: after, to: after)) == nil, "nothing changed, nothing to run")
    }

    @Test func aFrontendLosingItsEndpointsLosesItsChains() throws {
        let before = try Self.table(backends: 2)
        let after = try Self.table(backends: 0)
        let script = try #require(
            IPTablesRuleset(table: after, masqueradeMark: 0x4000).updateScript(applying: ForwardingDiff(from: before, to: after)))
        let nat = Self.lines(script, table: "nat")
        let svc = IPTablesChainName.service(Self.clusterFrontend)
        let deleted = nat.filter { $0.hasPrefix("-X ") }
        let seps = Self.pods.prefix(2).map { IPTablesChainName.endpoint(Self.clusterFrontend, BackendAddress(ip: $0, port: 8080)) }
        #expect(Set(deleted) == Set(([svc] + seps).map { "-X \($0)" }))
        #expect(!nat.contains { $0.hasPrefix("-A SKIFF-SERVICES ") && $0.contains(svc) })
        #expect(Self.lines(script, table: "filter").contains { $0.hasSuffix("-d 10.96.0.10/32 -p tcp --dport 80 -j REJECT") })

        let gone = try #require(
            IPTablesRuleset(table: ForwardingTable(), masqueradeMark: 0x4000).updateScript(applying: ForwardingDiff(from: before, to: ForwardingTable())))
        #expect(Set(Self.lines(gone, table: "nat").filter { $0.hasPrefix("-X ") }) == Set(deleted))
        #expect(!Self.lines(gone, table: "filter").contains { $0.contains("REJECT") })
    }

    @Test func savedStateFindsOurChainsAndHooksOnly() {
        let state = IPTablesSavedState(parsing: """
            # Generated by iptables-save v1.8.9 (nf_tables)
            *mangle
            :SKIFF-IGNORED - [0:0]
            -A PREROUTING -j SKIFF-IGNORED
            COMMIT
            *nat
            :PREROUTING ACCEPT [0:0]
            :KUBE-SERVICES - [0:0]
            :SKIFF-SERVICES - [0:0]
            :SKIFF-SEP-AAAAAAAAAAAAAAAA - [0:0]
            -A PREROUTING -m comment --comment "skiff service portals" -j SKIFF-SERVICES
            -A OUTPUT -j KUBE-SERVICES
            -A SKIFF-SERVICES -j SKIFF-SEP-AAAAAAAAAAAAAAAA
            COMMIT
            *filter
            -A FORWARD -g SKIFF-SERVICES
            COMMIT
            """)
        #expect(state.chains == ["nat": ["SKIFF-SERVICES", "SKIFF-SEP-AAAAAAAAAAAAAAAA"]])
        #expect(state.hookDeletions == [
            "nat": ["-D PREROUTING -m comment --comment \"skiff service portals\" -j SKIFF-SERVICES"],
            "filter": ["-D FORWARD -g SKIFF-SERVICES"],
        ])
    }

    @Test func teardownRemovesHooksThenEveryChain() throws {
        #expect(IPTablesRuleset.teardownScript(removing: IPTablesSavedState()) == nil)
        let state = IPTablesSavedState(parsing: """
            *nat
            :SKIFF-SERVICES - [0:0]
            -A OUTPUT -m comment --comment "skiff service portals" -j SKIFF-SERVICES
            COMMIT
            """)
        let script = try #require(IPTablesRuleset.teardownScript(removing: state))
        #expect(script == """
            *nat
            :SKIFF-SERVICES - [0:0]
            -D OUTPUT -m comment --comment "skiff service portals" -j SKIFF-SERVICES
            -X SKIFF-SERVICES
            COMMIT

            """)
    }

    @Test func commentsCannotBreakOutOfTheirQuotes() {
        let rule = ForwardingRule(
            frontend: Self.clusterFrontend, service: ServiceID(namespace: "a\"b", name: "c d\n-j ACCEPT"), portName: "p",
            backends: [], masquerade: false, affinityTimeout: nil)
        #expect(IPTablesRuleset.comment(rule) == "ab/cd-jACCEPT:p")
    }

    @Test func ruleSpecsSplitLikeIPTablesRestoreDoes() {
        #expect(IPTablesBackend.words("-m comment --comment \"skiff service portals\" -j X") == [
            "-m", "comment", "--comment", "skiff service portals", "-j", "X",
        ])
        #expect(IPTablesBackend.words(" -j  X ") == ["-j", "X"])
    }
}
