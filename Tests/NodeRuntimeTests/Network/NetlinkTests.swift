import Foundation
import Glibc
import Testing
@testable import NodeRuntime

/// rtnetlink primitives and pod interface setup against the real kernel,
/// always inside namespaces the test creates and deletes.
@Suite(.serialized, .enabled(if: NetlinkTestNamespace.isAvailable, "needs root, iproute2 and busybox"))
struct NetlinkTests {
    let subnet: IPv4Network
    let gateway: IPv4Address

    init() throws {
        subnet = try IPv4Network(parsing: "10.244.0.0/24")
        gateway = try IPv4Address(parsing: "10.244.0.1")
    }

    @Test func podsReachEachOtherAndTheGatewayThroughTheBridge() throws {
        let hostForwarding = try String(contentsOfFile: "/proc/sys/net/ipv4/ip_forward", encoding: .utf8)
        let node = try NetlinkTestNamespace.create("node")
        defer { node.remove() }
        let pod1 = try NetlinkTestNamespace.create("pod1")
        defer { pod1.remove() }
        let pod2 = try NetlinkTestNamespace.create("pod2")
        defer { pod2.remove() }

        let nodeLink = try NetlinkHandle(netnsPath: node.path)
        let bridge = try nodeLink.ensureBridge(name: "skt0", address: gateway, in: subnet)
        #expect(bridge.kind == "bridge")
        #expect(bridge.isUp)
        let nodeNamespace = try #require(nodeLink.namespace)
        try nodeNamespace.setIPv4Forwarding(true)
        #expect(try nodeNamespace.ipv4Forwarding())
        #expect(try node.exec(["cat", "/proc/sys/net/ipv4/ip_forward"]).stdout == "1\n")
        #expect(try String(contentsOfFile: "/proc/sys/net/ipv4/ip_forward", encoding: .utf8) == hostForwarding)

        let hostNames = ["skvt\(UInt32.random(in: 0...0xffff))a", "skvt\(UInt32.random(in: 0...0xffff))b"]
        for (offset, pod) in [pod1, pod2].enumerated() {
            let spec = PodInterfaceSpec(
                hostName: hostNames[offset], bridge: NetlinkLinkReference(bridge), mtu: 1400,
                address: IPv4Address(gateway.value + 1 + UInt32(offset)), network: subnet, gateway: gateway)
            let timings = try PodInterfaceSetup.run(spec, node: nodeLink, podNetnsPath: pod.path)
            print("pod \(offset + 1) interface: \(timings)")
        }

        // The pod side, as the kernel reports it.
        let podLink = try NetlinkHandle(netnsPath: pod1.path)
        let eth0 = try podLink.link("eth0")
        #expect(eth0.kind == "veth")
        #expect(eth0.mtu == 1400)
        #expect(eth0.isUp && eth0.hasCarrier)
        #expect(try podLink.link("lo").isUp)
        let address = try #require(try podLink.addresses().first { $0.linkIndex == eth0.index })
        #expect(address.address == IPv4Address(gateway.value + 1))
        #expect(address.network == subnet)
        #expect(address.broadcast == subnet.broadcast)
        let routes = try podLink.routes()
        #expect(routes.contains { $0.isDefault && $0.gateway == gateway && $0.outputIndex == eth0.index }, "\(routes)")
        #expect(try pod1.exec(["ip", "link", "show", "eth0"]).stdout.contains("mtu 1400"))

        // The host side: both ends enslaved, up, same MTU.
        for name in hostNames {
            let host = try nodeLink.link(NetlinkLinkReference(name: name))
            #expect(host.masterIndex == bridge.index)
            #expect(host.mtu == 1400)
            #expect(host.isUp)
        }

        // Traffic: pod to pod, pod to gateway, and TCP pod to pod.
        let ping = try pod1.busybox(["ping", "-c1", "-W1", "10.244.0.3"])
        #expect(ping.status == 0, "\(ping.stdout)\(ping.stderr)")
        let gatewayPing = try pod1.busybox(["ping", "-c1", "-W1", "10.244.0.1"])
        #expect(gatewayPing.status == 0, "\(gatewayPing.stdout)\(gatewayPing.stderr)")
        #expect(try tcpExchange(from: pod1, to: pod2, address: "10.244.0.3") == "skiff-hello\n")

        // Teardown: deleting the host ends removes the pairs with their
        // addresses and routes; the bridge is left without ports.
        for name in hostNames {
            #expect(try PodInterfaceSetup.teardown(hostName: name, node: nodeLink))
        }
        let nodeLinks = try nodeLink.links()
        #expect(!nodeLinks.contains { hostNames.contains($0.name) }, "\(nodeLinks)")
        #expect(!nodeLinks.contains { $0.masterIndex == bridge.index }, "\(nodeLinks)")
        for pod in [pod1, pod2] {
            let handle = try NetlinkHandle(netnsPath: pod.path)
            #expect(try handle.links().map(\.name) == ["lo"])
            #expect(try handle.addresses().map(\.address.description) == ["127.0.0.1"])
            #expect(try handle.routes().isEmpty)
        }
        #expect(try PodInterfaceSetup.teardown(hostName: hostNames[0], node: nodeLink) == false)
        #expect(try String(contentsOfFile: "/proc/sys/net/ipv4/ip_forward", encoding: .utf8) == hostForwarding)
    }

    @Test func existingBridgeIsEEXISTAndEnsureBridgeAcceptsIt() throws {
        let node = try NetlinkTestNamespace.create("node")
        defer { node.remove() }
        let handle = try NetlinkHandle(netnsPath: node.path)
        try handle.addBridge(name: "skt0")

        let error = #expect(throws: SystemError.self) { try handle.addBridge(name: "skt0") }
        #expect(error?.errno == EEXIST)
        #expect(error?.step == "RTM_NEWLINK bridge skt0")
        #expect(error?.description.hasPrefix("RTM_NEWLINK bridge skt0: EEXIST") == true, "\(String(describing: error))")

        let first = try handle.ensureBridge(name: "skt0", mtu: 1450, address: gateway, in: subnet)
        let second = try handle.ensureBridge(name: "skt0", mtu: 1450, address: gateway, in: subnet)
        #expect(first.index == second.index)
        #expect(second.isUp)
        #expect(second.mtu == 1450)
        let addresses = try handle.addresses().filter { $0.linkIndex == first.index }
        #expect(addresses.map(\.address) == [gateway])

        // A link of that name that is not a bridge is refused, not adopted.
        try handle.addVeth(VethPair(name: "skt1", peerName: "skt1p"))
        let wrongKind = #expect(throws: RuntimeError.self) { try handle.ensureBridge(name: "skt1") }
        #expect(wrongKind?.message.contains("is a veth, not a bridge") == true, "\(String(describing: wrongKind))")
    }

    @Test func deletingAMissingLinkNamesItWithENODEV() throws {
        let node = try NetlinkTestNamespace.create("node")
        defer { node.remove() }
        let handle = try NetlinkHandle(netnsPath: node.path)

        let error = #expect(throws: SystemError.self) { try handle.deleteLink("skv-missing") }
        #expect(error?.errno == ENODEV)
        #expect(error?.description == "RTM_DELLINK skv-missing: ENODEV (No such device)")
        let lookup = #expect(throws: SystemError.self) { try handle.link("skv-missing") }
        #expect(lookup?.description == "RTM_GETLINK skv-missing: ENODEV (No such device)")
        #expect(try PodInterfaceSetup.teardown(hostName: "skv-missing", node: handle) == false)
    }

    @Test func linkAddressAndRouteChanges() throws {
        let node = try NetlinkTestNamespace.create("node")
        defer { node.remove() }
        let handle = try NetlinkHandle(netnsPath: node.path)

        try handle.addBridge(name: "skt0", mtu: 1450)
        #expect(try handle.link("skt0").mtu == 1450)
        try handle.addVeth(VethPair(name: "skta", peerName: "sktb", mtu: 1420))
        #expect(try handle.link("sktb").mtu == 1420)

        try handle.setMaster(of: "skta", to: "skt0")
        let bridgeIndex = try handle.linkIndex(named: "skt0")
        #expect(try handle.link("skta").masterIndex == bridgeIndex)
        try handle.setMaster(of: "skta", to: nil)
        #expect(try handle.link("skta").masterIndex == 0)

        try handle.setMTU(1300, of: "skta")
        #expect(try handle.link("skta").mtu == 1300)

        try handle.rename("sktb", to: "sktc")
        #expect(throws: SystemError.self) { try handle.link("sktb") }
        try handle.setUp("sktc")
        try handle.setUp("skta")
        #expect(try handle.link("sktc").isUp)
        try handle.setUp("skta", false)
        #expect(try handle.link("skta").isUp == false)

        // Address and a connected route on sktc.
        let network = try IPv4Network(parsing: "10.250.0.0/24")
        let address = try IPv4Address(parsing: "10.250.0.5")
        try handle.addAddress(address, in: network, to: "sktc")
        #expect(try handle.addresses().contains { $0.address == address && $0.label == "sktc" })
        let duplicate = #expect(throws: SystemError.self) { try handle.addAddress(address, in: network, to: "sktc") }
        #expect(duplicate?.errno == EEXIST)
        let routed = try IPv4Network(parsing: "10.251.0.0/16")
        try handle.addRoute(to: routed, dev: "sktc")
        let sktc = try handle.linkIndex(named: "sktc")
        #expect(try handle.routes().contains { $0.destination == routed && $0.outputIndex == sktc && $0.gateway == nil })
        try handle.deleteRoute(to: routed, dev: "sktc")
        #expect(try !handle.routes().contains { $0.destination == routed })
        try handle.deleteAddress(address, in: network, from: "sktc")
        #expect(try !handle.addresses().contains { $0.address == address })

        // An unreachable gateway: the kernel's reason travels with the error.
        let unreachable = #expect(throws: SystemError.self) {
            try handle.addDefaultRoute(via: try IPv4Address(parsing: "10.99.0.1"))
        }
        #expect(unreachable?.step.hasPrefix("RTM_NEWROUTE default via 10.99.0.1") == true, "\(String(describing: unreachable))")

        // In a batch the kernel goes on after a refusal; the first refused message is named.
        let batchError = #expect(throws: SystemError.self) {
            try handle.batch { batch in
                try batch.addBridge(name: "skt5")
                try batch.addBridge(name: "skt5")
            }
        }
        #expect(batchError?.step == "RTM_NEWLINK bridge skt5")
        #expect(batchError?.errno == EEXIST)

        // Bad input is refused before anything is sent.
        #expect(throws: RuntimeError.self) { try handle.addBridge(name: "a-name-longer-than-15") }
        #expect(throws: RuntimeError.self) { try handle.addBridge(name: "bad/name") }
        #expect(throws: RuntimeError.self) {
            try handle.addAddress(try IPv4Address(parsing: "10.1.0.1"), in: network, to: "sktc")
        }

        // Deleting one end removes the pair.
        try handle.deleteLink("skta")
        let names = try handle.links().map(\.name)
        #expect(!names.contains("skta") && !names.contains("sktc"), "\(names)")
    }

    @Test func namespaceWorkRunsOnAThreadInsideIt() throws {
        let hostForwarding = try String(contentsOfFile: "/proc/sys/net/ipv4/ip_forward", encoding: .utf8)
        let pod = try NetlinkTestNamespace.create("pod")
        defer { pod.remove() }
        let namespace = try NetworkNamespace(path: pod.path)
        let inode = try namespace.perform { () throws -> UInt64 in
            var info = stat()
            guard stat("/proc/thread-self/ns/net", &info) == 0 else { throw SystemError.current("stat") }
            return UInt64(info.st_ino)
        }
        var expected = stat()
        #expect(stat(pod.path, &expected) == 0)
        #expect(inode == UInt64(expected.st_ino))

        #expect(try namespace.ipv4Forwarding() == false)
        try namespace.setIPv4Forwarding(true)
        #expect(try namespace.ipv4Forwarding())
        #expect(try pod.exec(["cat", "/proc/sys/net/ipv4/ip_forward"]).stdout == "1\n")
        try namespace.setIPv4Forwarding(false)
        #expect(try namespace.ipv4Forwarding() == false)
        #expect(try String(contentsOfFile: "/proc/sys/net/ipv4/ip_forward", encoding: .utf8) == hostForwarding)

        let missing = #expect(throws: SystemError.self) { try NetlinkHandle(netnsPath: "/run/netns/skiff-nltest-absent") }
        #expect(missing?.errno == ENOENT)
    }

    /// Not asserted: prints the per-pod cost so it can be tracked.
    @Test func measurePodInterfaceSetup() throws {
        let count = 50
        let node = try NetlinkTestNamespace.create("bench")
        defer { node.remove() }
        var pods: [NetlinkTestNamespace] = []
        defer { pods.forEach { $0.remove() } }

        let nodeLink = try NetlinkHandle(netnsPath: node.path)
        let bridge = NetlinkLinkReference(try nodeLink.ensureBridge(name: "skb0", address: gateway, in: subnet))
        for mode in [PodInterfaceSetup.Mode.batched, .stepwise] {
            // Fresh pod namespaces per mode: the first `lo up` in a namespace
            // costs more than a repeated one, and real pods are always fresh.
            pods.forEach { $0.remove() }
            pods = try (0..<count).map { try NetlinkTestNamespace.create("bench\($0)") }
            var runs: [PodInterfaceTimings] = []
            var teardowns: [UInt64] = []
            for (index, pod) in pods.enumerated() {
                let spec = PodInterfaceSpec(
                    hostName: "skvb\(index)", bridge: bridge, mtu: 1450,
                    address: IPv4Address(gateway.value + 1 + UInt32(index)), network: subnet, gateway: gateway)
                runs.append(try PodInterfaceSetup.run(spec, node: nodeLink, podNetnsPath: pod.path, mode: mode))
            }
            for index in pods.indices {
                let start = MonotonicClock.nanoseconds()
                try PodInterfaceSetup.teardown(hostName: "skvb\(index)", node: nodeLink)
                teardowns.append(MonotonicClock.nanoseconds() - start)
            }
            func median(_ values: [UInt64]) -> String {
                let sorted = values.sorted()
                guard !sorted.isEmpty else { return "-" }
                return String(format: "%.1fµs", Double(sorted[sorted.count / 2]) / 1000)
            }
            var line = "pod interface setup, \(count) pods, \(mode): median total \(median(runs.map(\.total)))"
            line += " (without socket open \(median(runs.map { $0.total - $0.podSocket })))"
            line += "; podSocket \(median(runs.map(\.podSocket))), veth \(median(runs.map(\.veth)))"
            line += ", lookup \(median(runs.map(\.lookup))), podConfig \(median(runs.map(\.podConfig)))"
            if mode == .stepwise {
                line += " [address \(median(runs.compactMap(\.address))), linksUp \(median(runs.compactMap(\.linksUp)))"
                line += ", route \(median(runs.compactMap(\.route)))]"
            }
            line += "; teardown \(median(teardowns))"
            print(line)
        }
        #expect(try !nodeLink.links().contains { $0.name.hasPrefix("skvb") })
    }

    /// Sends one line over TCP from `client` to a busybox nc listener in `server`.
    private func tcpExchange(from client: NetlinkTestNamespace, to server: NetlinkTestNamespace, address: String) throws -> String {
        guard let ip = NetlinkTestNamespace.ipPath, let busybox = NetlinkTestNamespace.busyboxPath else {
            throw TestFailure("ip and busybox are needed")
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-nltest-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let script = """
            \(ip) netns exec \(server.name) \(busybox) timeout 10 \(busybox) nc -l -p 7777 > \(output) &
            server=$!
            for i in $(seq 1 50); do
              if echo skiff-hello | \(ip) netns exec \(client.name) \(busybox) nc -w 2 \(address) 7777; then break; fi
              sleep 0.1
            done
            wait $server
            """
        let result = try Shell.run("/bin/sh", ["-c", script])
        guard result.status == 0 else { throw TestFailure("tcp exchange failed: \(result.stderr)") }
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }
}
