import Dataplane
import Foundation
import NetnsLab
import NodeRuntime
import Testing

/// Real connections through the proxy's rules, in namespaces the tests make:
/// client → node (DNAT) → pods on the node's bridge. Same tests, both backends.
@Suite("Service traffic", .serialized)
struct TrafficTests {
    @Test("ClusterIP and NodePort reach every endpoint", arguments: BackendKind.allCases)
    func spread(_ kind: BackendKind) async throws {
        try await ProxyLab.with(kind) { lab in
            try await lab.proxy.upsert(ProxyLab.web(endpoints: [0, 1, 2]))
            let viaClusterIP = lab.tcpSpread(to: ProxyLab.clusterIP, port: 80)
            #expect(Set(viaClusterIP.keys) == ["pod0", "pod1", "pod2"], "\(viaClusterIP)")
            let viaNodePort = lab.tcpSpread(to: NetnsLab.nodeIP, port: 30036)
            #expect(Set(viaNodePort.keys) == ["pod0", "pod1", "pod2"], "\(viaNodePort)")
        }
    }

    @Test("a removed endpoint gets no new connections", arguments: BackendKind.allCases)
    func removal(_ kind: BackendKind) async throws {
        try await ProxyLab.with(kind) { lab in
            try await lab.proxy.upsert(ProxyLab.web(endpoints: [0, 1, 2]))
            try await lab.proxy.upsert(ProxyLab.web(endpoints: [0, 2]))
            let seen = lab.tcpSpread(to: ProxyLab.clusterIP, port: 80, count: 100)
            #expect(Set(seen.keys) == ["pod0", "pod2"], "\(seen)")
            try await lab.proxy.upsert(ProxyLab.web(endpoints: [1]))
            let after = lab.tcpSpread(to: NetnsLab.nodeIP, port: 30036, count: 50)
            #expect(after == ["pod1": 50])
        }
    }

    @Test("a Service without endpoints is rejected at once", arguments: BackendKind.allCases)
    func noEndpoints(_ kind: BackendKind) async throws {
        try await ProxyLab.with(kind) { lab in
            try await lab.proxy.upsert(ProxyLab.web(endpoints: []))
            let start = ContinuousClock.now
            #expect(lab.tcp(to: ProxyLab.clusterIP, port: 80) == .refused)
            #expect(lab.tcp(to: NetnsLab.nodeIP, port: 30036) == .refused)
            #expect(ContinuousClock.now - start < .seconds(1))
            // From the node itself (the output hook) as well.
            #expect(LabSocket.tcpRequest(from: lab.lab.node, to: ProxyLab.clusterIP, port: 80) == .refused)
            try await lab.proxy.upsert(ProxyLab.web(endpoints: [1]))
            #expect(lab.tcp(to: ProxyLab.clusterIP, port: 80).replier == "pod1")
        }
    }

    @Test("ClientIP session affinity pins a client until its endpoint goes", arguments: BackendKind.allCases)
    func affinity(_ kind: BackendKind) async throws {
        try await ProxyLab.with(kind) { lab in
            try await lab.proxy.upsert(ProxyLab.web(endpoints: [0, 1, 2], affinity: 600))
            let first = try #require(lab.tcp(to: ProxyLab.clusterIP, port: 80).replier)
            let seen = lab.tcpSpread(to: ProxyLab.clusterIP, port: 80, count: 30)
            #expect(seen == [first: 30])
            let pinned = try #require(Int(first.dropFirst(3)))
            try await lab.proxy.upsert(ProxyLab.web(endpoints: [0, 1, 2].filter { $0 != pinned }, affinity: 600))
            let moved = lab.tcpSpread(to: ProxyLab.clusterIP, port: 80, count: 20)
            #expect(moved.count == 1 && moved[first] == nil, "\(moved)")
        }
    }

    @Test("a pod reaches itself through its Service (hairpin)", arguments: BackendKind.allCases)
    func hairpin(_ kind: BackendKind) async throws {
        try await ProxyLab.with(kind, pods: 2) { lab in
            try await lab.proxy.upsert(ProxyLab.web(endpoints: [0]))
            #expect(lab.tcp(to: ProxyLab.clusterIP, port: 80, from: lab.lab.pods[0]).replier == "pod0")
            // Pod to pod on the same bridge through the Service.
            #expect(lab.tcp(to: ProxyLab.clusterIP, port: 80, from: lab.lab.pods[1]).replier == "pod0")
        }
    }

    @Test("UDP: a removed endpoint's conntrack entries are flushed", arguments: BackendKind.allCases)
    func udp(_ kind: BackendKind) async throws {
        try await ProxyLab.with(kind) { lab in
            try await lab.proxy.upsert(ProxyLab.web(endpoints: [0], nodePort: nil, proto: .udp))
            let fd = try LabSocket.make(in: lab.lab.client, type: Int32(SOCK_DGRAM.rawValue))
            defer { close(fd) }
            #expect(LabSocket.udpRequest(fd: fd, to: ProxyLab.clusterIP, port: 80).replier == "pod0")
            try await lab.proxy.upsert(ProxyLab.web(endpoints: [1], nodePort: nil, proto: .udp))
            // Same socket, same 5-tuple: without the flush it would stay on pod0.
            #expect(LabSocket.udpRequest(fd: fd, to: ProxyLab.clusterIP, port: 80).replier == "pod1")
        }
    }

    @Test("several ports with named target ports", arguments: BackendKind.allCases)
    func namedPorts(_ kind: BackendKind) async throws {
        try await ProxyLab.with(kind, pods: 2) { lab in
            try lab.lab.serve(port: 9090)
            let service = ServiceSpec(
                id: ProxyLab.serviceID, clusterIP: ProxyLab.clusterIP,
                ports: [ServicePortSpec(name: "http", port: 80), ServicePortSpec(name: "metrics", port: 9100)],
                endpoints: (0..<2).map {
                    EndpointSpec(ip: NetnsLab.podIP($0), ports: [.init(name: "http", port: 8080), .init(name: "metrics", port: 9090)])
                })
            try await lab.proxy.upsert(service)
            #expect(Set(lab.tcpSpread(to: ProxyLab.clusterIP, port: 80, count: 60).keys) == ["pod0", "pod1"])
            #expect(Set(lab.tcpSpread(to: ProxyLab.clusterIP, port: 9100, count: 60).keys) == ["pod0:9090", "pod1:9090"])
        }
    }

    @Test("externalTrafficPolicy Local uses only this node's endpoints on the NodePort", arguments: BackendKind.allCases)
    func externalLocal(_ kind: BackendKind) async throws {
        try await ProxyLab.with(kind) { lab in
            var service = ProxyLab.web(endpoints: [0, 1, 2])
            service.externalTrafficLocal = true
            service.endpoints[0].local = false
            service.endpoints[2].local = false
            try await lab.proxy.upsert(service)
            #expect(lab.tcpSpread(to: NetnsLab.nodeIP, port: 30036, count: 40) == ["pod1": 40])
            #expect(Set(lab.tcpSpread(to: ProxyLab.clusterIP, port: 80).keys) == ["pod0", "pod1", "pod2"])
        }
    }

    @Test("an external (LoadBalancer) IP forwards like the NodePort", arguments: BackendKind.allCases)
    func externalIP(_ kind: BackendKind) async throws {
        try await ProxyLab.with(kind) { lab in
            var service = ProxyLab.web(endpoints: [0, 1, 2])
            let external = IPv4Address(10, 43, 200, 1)
            service.externalIPs = [external]
            try await lab.proxy.upsert(service)
            #expect(Set(lab.tcpSpread(to: external, port: 80).keys) == ["pod0", "pod1", "pod2"])
            service.endpoints = []
            try await lab.proxy.upsert(service)
            #expect(lab.tcp(to: external, port: 80) == .refused)
        }
    }

    @Test("a flushed ruleset is repaired within a second", arguments: BackendKind.allCases)
    func repair(_ kind: BackendKind) async throws {
        try await ProxyLab.with(kind) { lab in
            try await lab.proxy.upsert(ProxyLab.web(endpoints: [0, 1, 2]))
            try LabCommand.run("/usr/sbin/ip", ["netns", "exec", lab.lab.nodeName, "nft", "flush", "ruleset"])
            let deadline = ContinuousClock.now + .seconds(1)
            while await lab.proxy.repairCount() == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(await lab.proxy.repairCount() == 1)
            #expect(Set(lab.tcpSpread(to: ProxyLab.clusterIP, port: 80, count: 60).keys) == ["pod0", "pod1", "pod2"])
        }
    }

    @Test("bad input is refused and what was programmed keeps forwarding", arguments: BackendKind.allCases)
    func badInput(_ kind: BackendKind) async throws {
        try await ProxyLab.with(kind) { lab in
            try await lab.proxy.upsert(ProxyLab.web(endpoints: [0, 1, 2]))
            let before = await lab.proxy.table()
            var outside = ProxyLab.web(endpoints: [0])
            outside.endpoints.append(EndpointSpec(ip: IPv4Address(192, 168, 1, 5), port: 8080))
            await #expect(throws: DataplaneError.self) { try await lab.proxy.upsert(outside) }
            var other = ProxyLab.web(endpoints: [1])
            other.id = ServiceID(namespace: "default", name: "other")
            other.clusterIP = IPv4Address(10, 43, 0, 11)
            await #expect(throws: DataplaneError.self) { try await lab.proxy.upsert(other) } // NodePort 30036 taken
            await #expect(throws: DataplaneError.self) { try await lab.proxy.replace([ProxyLab.web(endpoints: [0]), other]) }
            #expect(await lab.proxy.table() == before)
            #expect(Set(lab.tcpSpread(to: ProxyLab.clusterIP, port: 80, count: 60).keys) == ["pod0", "pod1", "pod2"])
        }
    }

    @Test("a restarted proxy takes over the table in place", arguments: BackendKind.allCases)
    func restart(_ kind: BackendKind) async throws {
        try await ProxyLab.with(kind) { lab in
            try await lab.proxy.upsert(ProxyLab.web(endpoints: [0, 1, 2]))
            try await lab.proxy.stop(removeRules: false)
            let second = ServiceProxy(config: lab.config, backend: try kind.make(lab.config))
            try await second.start([ProxyLab.web(endpoints: [2])])
            #expect(lab.tcpSpread(to: ProxyLab.clusterIP, port: 80, count: 30) == ["pod2": 30])
            try await second.stop(removeRules: true)
            #expect(lab.tcp(to: ProxyLab.clusterIP, port: 80).replier == nil)
        }
    }
}
