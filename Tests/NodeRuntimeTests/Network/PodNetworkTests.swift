import Foundation
import Testing
@testable import NodeRuntime

/// Pods on a node's pod network, all inside a node netns the test creates.
@Suite struct PodNetworkTests {
    @Test func podsReachEachOtherAndTheGatewayByIP() async throws {
        let node = try TestNode(podSubnetPrefix: 24)
        let server = try await node.sandbox(name: "server")
        let client = try await node.sandbox(name: "client")
        let serverIP = try #require(try await node.runtime.podSandboxStatus(server).network?.ip)
        let clientIP = try #require(try await node.runtime.podSandboxStatus(client).network?.ip)
        #expect(serverIP != clientIP)
        #expect(serverIP.hasPrefix("10.244.0.") && clientIP.hasPrefix("10.244.0."))

        let web = try await node.runtime.createContainer(podID: server, config: ContainerConfig(name: "web", image: "mengsixing/notepad"))
        try await node.runtime.startContainer(web)
        let script = """
            ip=$(ip -4 -o addr show eth0 | awk '{print $4}'); echo "addr=$ip"
            ping -c1 -W2 10.244.0.1 >/dev/null && echo gateway=ok
            ping -c1 -W2 \(serverIP) >/dev/null && echo ping=ok
            for i in $(seq 50); do wget -qO- http://\(serverIP):8083/ && exit 0; sleep 0.1; done; exit 1
            """
        let probe = try await node.runtime.createContainer(
            podID: client, config: ContainerConfig(name: "probe", image: "busybox", command: ["sh", "-c", script]))
        try await node.runtime.startContainer(probe)
        let done = try await node.waitExited(probe)
        let log = try await node.log(probe)
        #expect(done.exitCode == 0, "\(log)")
        #expect(log.contains("addr=\(clientIP)/24"), "\(log)")
        #expect(log.contains("gateway=ok"), "\(log)")
        #expect(log.contains("ping=ok"), "\(log)")
        #expect(log.contains("notepad version v1"), "\(log)")
        let leftovers = await node.tearDown()
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func twoHundredPodsGetDistinctAddressesAndLeaveNothingBehind() async throws {
        let node = try TestNode(podSubnetPrefix: 24)
        var ids: [String] = []
        var addresses = Set<String>()
        for index in 0..<200 {
            let id = try await node.sandbox(name: "p\(index)")
            ids.append(id)
            addresses.insert(try #require(try await node.runtime.podSandboxStatus(id).network?.ip))
        }
        #expect(addresses.count == 200)
        #expect(!addresses.contains("10.244.0.1") && !addresses.contains("10.244.0.0") && !addresses.contains("10.244.0.255"))
        let netns = try #require(node.nodeNetns)
        #expect(try links(in: netns).filter { $0.hasPrefix("skv") }.count == 200)
        // Every pod port may send a frame back where it came from: a pod
        // reaching itself through a Service needs that (hairpin).
        let details = try Shell.run("/usr/sbin/ip", ["-n", netns.name, "-d", "-o", "link", "show", "master", "skiff0"]).stdout
        #expect(details.split(separator: "\n").filter { $0.contains("hairpin on") }.count == 200)
        for id in ids { try await node.runtime.removePodSandbox(id) }
        // Only lo and the bridge remain; no veth, and the bridge keeps only the gateway address.
        #expect(try links(in: netns).sorted() == ["lo", "skiff0"])
        let addrs = try Shell.run("/usr/sbin/ip", ["-n", netns.name, "-4", "-o", "addr", "show"]).stdout
        #expect(addrs.split(separator: "\n").filter { $0.contains("skiff0") }.count == 1, "\(addrs)")
        #expect(addrs.contains("10.244.0.1/24"), "\(addrs)")
        let ipamFiles = (try? FileManager.default.contentsOfDirectory(atPath: node.config.ipamDir)) ?? []
        #expect(ipamFiles.filter { $0.hasPrefix("10.") }.isEmpty, "\(ipamFiles)")
        let leftovers = await node.tearDown()
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func aRestartKeepsPodAddressesAndConnectivity() async throws {
        let node = try TestNode(podSubnetPrefix: 24)
        let pod = try await node.sandbox(name: "keeper")
        let ip = try #require(try await node.runtime.podSandboxStatus(pod).network?.ip)
        let web = try await node.runtime.createContainer(podID: pod, config: ContainerConfig(name: "web", image: "mengsixing/notepad"))
        try await node.runtime.startContainer(web)
        await node.runtime.shutdown()

        let second = try RuntimeService(config: node.config)
        _ = try await second.recover()
        #expect(try await second.podSandboxStatus(pod).network?.ip == ip)
        // A new pod does not get the address the re-adopted pod holds.
        let other = try await second.runPodSandbox(PodSandboxConfig(name: "other", uid: UUID().uuidString.lowercased()))
        #expect(try await second.podSandboxStatus(other).network?.ip != ip)
        // The pod still answers from the node's netns.
        let netns = try #require(node.nodeNetns)
        var answered = false
        for _ in 0..<50 where !answered {
            let result = try Shell.run("/usr/sbin/ip", ["netns", "exec", netns.name, "curl", "-s", "-m", "1", "http://\(ip):8083/"])
            answered = result.stdout.contains("notepad version v1")
            if !answered { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(answered)
        for sandbox in await second.listPodSandboxes() { try await second.removePodSandbox(sandbox.id) }
        await second.shutdown()
        let leftovers = await node.tearDown()
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func exhaustionIsAClearErrorAndLeavesNothingHalfMade() async throws {
        let node = try TestNode(podSubnetPrefix: 28)
        // A /28 has 14 hosts; the gateway takes one.
        for index in 0..<13 { _ = try await node.sandbox(name: "p\(index)") }
        await #expect {
            _ = try await node.sandbox(name: "one-too-many")
        } throws: { error in
            "\(error)" == "no free pod IP in 10.244.0.0/28"
        }
        #expect(await node.runtime.listPodSandboxes().count == 13)
        let pods = try FileManager.default.contentsOfDirectory(atPath: node.config.podsStateDir)
        #expect(pods.count == 13)
        let netns = try #require(node.nodeNetns)
        #expect(try links(in: netns).filter { $0.hasPrefix("skv") }.count == 13)
        let leftovers = await node.tearDown()
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func hostNetworkPodsSkipThePodNetwork() async throws {
        let node = try TestNode(podSubnetPrefix: 24)
        let id = try await node.runtime.runPodSandbox(
            PodSandboxConfig(name: "host", uid: UUID().uuidString.lowercased(), hostNetwork: true))
        let record = try await node.runtime.podSandboxStatus(id)
        #expect(record.network == nil && record.netnsPath == nil)
        let leftovers = await node.tearDown()
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    private func links(in netns: TestNetns) throws -> [String] {
        let out = try Shell.run("/usr/sbin/ip", ["-n", netns.name, "-o", "link", "show"]).stdout
        return out.split(separator: "\n").compactMap { line in
            line.split(separator: ":").dropFirst().first.map { String($0.trimmingCharacters(in: .whitespaces).split(separator: "@").first ?? "") }
        }
    }
}
