import Foundation
import SkiffAPI
import Testing

/// The seed's NodePort Service in front of labelled notepad pods: the
/// endpoints controllers list the ready pods, our kube-proxy programs them
/// into the node, and curl from the node reaches them.
@Suite struct ServiceTests {
    static let pods = ["notepad-0", "notepad-1", "notepad-2"]

    /// A notepad pod that is ready while /tmp/ready exists.
    static func pod(_ name: String) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: \(name), labels: {app: mytest}}
        spec:
          nodeName: \(AgentNode.nodeName)
          terminationGracePeriodSeconds: 1
          containers:
          - name: notepad
            image: mengsixing/notepad
            ports: [{name: http, containerPort: 8083}]
            readinessProbe:
              exec: {command: ["cat", "/tmp/ready"]}
              periodSeconds: 1
              failureThreshold: 1
        """
    }

    /// A second Service on the same pods, through the named port.
    static let named = """
        apiVersion: v1
        kind: Service
        metadata: {name: notepad-named}
        spec:
          selector: {app: mytest}
          ports: [{name: web, port: 8080, targetPort: http}]
        """

    @Test func seedServiceReachesReadyPodsAndFollowsReadiness() async throws {
        try await AgentNode.with { node in
            let seed = try String(contentsOfFile: "/work/shared/seed/manifests/service.yaml", encoding: .utf8)
            try await node.apply(Self.pods.map(Self.pod).joined(separator: "\n---\n"))
            try await node.apply(seed)
            try await node.apply(Self.named)
            let all = Set(Self.pods)

            // Running, not ready yet: listed as not ready.
            for name in Self.pods {
                try await node.waitForPod(name, "Running with an IP") { $0.phase == "Running" && $0["status"]["podIP"].stringValue != nil }
            }
            try await eventually("3 not-ready addresses", timeout: .seconds(20)) {
                try await node.endpoints("my-service")?.endpointPods("notReadyAddresses") == all
            }
            for name in Self.pods {
                let touched = try await node.kubectl(["exec", name, "--", "touch", "/tmp/ready"])
                #expect(touched.status == 0, "\(touched.combined)")
            }
            var pods: [String: JSONValue] = [:]
            for name in Self.pods {
                pods[name] = try await node.waitForPod(name, "Ready") { $0.condition("Ready") == "True" }
            }
            try await eventually("3 ready addresses", timeout: .seconds(20)) {
                let endpoints = try await node.endpoints("my-service")
                return endpoints?.endpointPods() == all && endpoints?.endpointPods("notReadyAddresses").isEmpty == true
            }

            // Endpoints: one subset, every address with its pod and node, the target port resolved.
            let service = try #require(try await node.api.get("/api/v1/namespaces/default/services/my-service"))
            let endpoints = try #require(try await node.endpoints("my-service"))
            let subsets = endpoints["subsets"].arrayValue ?? []
            #expect(subsets.count == 1)
            #expect(subsets.first?["ports"] == [["port": 8083, "protocol": "TCP"]])
            for address in subsets.first?["addresses"].arrayValue ?? [] {
                let name = address["targetRef"]["name"].stringValue ?? ""
                let pod = try #require(pods[name])
                #expect(address["ip"] == pod["status"]["podIP"])
                #expect(address["nodeName"].stringValue == AgentNode.nodeName)
                #expect(address["targetRef"] == [
                    "kind": "Pod", "namespace": "default", "name": .string(name), "uid": .string(pod.metadata.uid ?? ""),
                ])
            }
            // Settled: the controllers compare before writing, so nothing is rewritten.
            let settled = try await (node.endpoints("my-service"), node.endpointSlices("my-service"))
            try await Task.sleep(for: .milliseconds(1500))
            let later = try await (node.endpoints("my-service"), node.endpointSlices("my-service"))
            #expect(later.0?.metadata.resourceVersion == settled.0?.metadata.resourceVersion)
            #expect(later.1.map(\.metadata.resourceVersion) == settled.1.map(\.metadata.resourceVersion))

            // What kubectl users see: every pod's address and port.
            let addresses = pods.values.compactMap { $0["status"]["podIP"].stringValue.map { "\($0):8083" } }
            let listed = try await node.kubectl(["get", "endpoints", "my-service"])
            #expect(listed.status == 0 && addresses.allSatisfy { listed.stdout.contains($0) }, "\(listed.combined)")
            let described = try await node.kubectl(["describe", "service", "my-service"])
            let endpointsLine = described.stdout.split(separator: "\n").first { $0.hasPrefix("Endpoints:") } ?? ""
            #expect(addresses.allSatisfy { endpointsLine.contains($0) }, "\(described.combined)")
            // The named targetPort resolves to the container port named http.
            let namedEndpoints = try await node.endpoints("notepad-named")
            #expect(namedEndpoints?["subsets"][0]["ports"] == [["name": "web", "port": 8083, "protocol": "TCP"]])

            // EndpointSlices: one slice, owned by the Service, every endpoint ready.
            let slices = try await node.endpointSlices("my-service")
            #expect(slices.count == 1)
            let slice = try #require(slices.first)
            #expect(slice.metadata.name?.hasPrefix("my-service-") == true)
            #expect(slice["addressType"] == "IPv4")
            #expect(slice.metadata.labels["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io")
            #expect(slice["ports"] == [["name": "", "port": 8083, "protocol": "TCP"]])
            let owner = slice.metadata.ownerReferences.first
            #expect(owner?.kind == "Service" && owner?.name == "my-service" && owner?.uid == service.metadata.uid)
            #expect(owner?.controller == true)
            let sliceEndpoints = slice["endpoints"].arrayValue ?? []
            #expect(Set(sliceEndpoints.compactMap { $0["targetRef"]["name"].stringValue }) == all)
            for endpoint in sliceEndpoints {
                #expect(endpoint["conditions"] == ["ready": true, "serving": true, "terminating": false])
                #expect(endpoint["nodeName"].stringValue == AgentNode.nodeName)
                #expect(endpoint["targetRef"]["kind"] == "Pod")
            }

            // Traffic: the cluster IP and the NodePort on the node's address reach several pods.
            try await node.routeServiceCIDR()
            let clusterIP = try #require(service["spec"]["clusterIP"].stringValue)
            let viaClusterIP = "http://\(clusterIP)/"
            let viaNodePort = "http://\(AgentNode.nodeAddress):30036/"
            try await eventually("the cluster IP answers", timeout: .seconds(20)) { try await node.notepadServer(viaClusterIP) != nil }
            for url in [viaClusterIP, viaNodePort] {
                let servers = try await node.notepadServers(url, count: 12)
                #expect(servers.allSatisfy { $0 != nil }, "\(url): \(servers)")
                let distinct = Set(servers.compactMap { $0 })
                #expect(distinct.count >= 2 && distinct.isSubset(of: all), "\(url): \(servers)")
            }
            let namedIP = try #require(try await node.api.get("/api/v1/namespaces/default/services/notepad-named")?["spec"]["clusterIP"].stringValue)
            #expect(try await node.notepadServer("http://\(namedIP):8080/") != nil)

            // notepad-2 fails its readiness probe: it leaves the addresses and the rules, and gets no traffic.
            let unreadyIP = try #require(pods["notepad-2"]?["status"]["podIP"].stringValue)
            #expect(try await node.kubectl(["exec", "notepad-2", "--", "rm", "/tmp/ready"]).status == 0)
            try await node.waitForPod("notepad-2", "NotReady") { $0.condition("Ready") == "False" }
            try await eventually("notepad-2 listed as not ready", timeout: .seconds(20)) {
                let endpoints = try await node.endpoints("my-service")
                return endpoints?.endpointPods() == ["notepad-0", "notepad-1"]
                    && endpoints?.endpointPods("notReadyAddresses") == ["notepad-2"]
            }
            let unreadySlice = try await node.endpointSlices("my-service").first?["endpoints"].arrayValue?.first {
                $0["targetRef"]["name"] == "notepad-2"
            }
            #expect(unreadySlice?["conditions"] == ["ready": false, "serving": false, "terminating": false])
            try await eventually("notepad-2's address out of the rules", timeout: .seconds(10)) {
                try await !Self.mentions(node.serviceRules(), unreadyIP)
            }
            let afterUnready = try await node.notepadServers(viaNodePort, count: 15)
            #expect(afterUnready.allSatisfy { $0 != nil && $0 != "notepad-2" }, "\(afterUnready)")

            // Ready again: how long from the API showing it Ready to its address in the rules.
            #expect(try await node.kubectl(["exec", "notepad-2", "--", "touch", "/tmp/ready"]).status == 0)
            var readyAt: ContinuousClock.Instant?
            var programmedAt: ContinuousClock.Instant?
            let deadline = ContinuousClock.now + .seconds(20)
            while readyAt == nil || programmedAt == nil, ContinuousClock.now < deadline {
                if readyAt == nil, try await node.pod("notepad-2")?.condition("Ready") == "True" { readyAt = .now }
                if programmedAt == nil, try await Self.mentions(node.serviceRules(), unreadyIP) { programmedAt = .now }
                try await Task.sleep(for: .milliseconds(20))
            }
            let ready = try #require(readyAt)
            let programmed = try #require(programmedAt)
            print("ServiceTests: pod Ready in the API → its endpoint in the nftables rules: \(programmed - ready)")
            #expect(programmed - ready < .seconds(20), "a bound for hangs, not a benchmark")

            // A stopped daemon keeps the rules and the traffic; a new one takes them over.
            let rulesBefore = try await node.serviceRules()
            await node.stop()
            #expect(try await node.serviceRules() == rulesBefore)
            let whileDown = try await node.notepadServers(viaNodePort, count: 3)
            #expect(whileDown.allSatisfy { $0 != nil }, "\(whileDown)")
            try await node.restart()
            try await eventually("the restarted proxy synced", timeout: .seconds(20)) {
                node.log.components(separatedBy: "services synced").count - 1 >= 2
            }
            #expect(try await node.serviceRules() == rulesBefore)
            // It follows changes again: a deleted pod leaves the rules.
            let goneIP = try #require(pods["notepad-1"]?["status"]["podIP"].stringValue)
            let deleted = try await node.kubectl(["delete", "pod", "notepad-1", "--wait=false"])
            #expect(deleted.status == 0, "\(deleted.combined)")
            try await eventually("notepad-1's address out of the rules", timeout: .seconds(20)) {
                try await !Self.mentions(node.serviceRules(), goneIP)
            }

            // Deleting the Service takes its Endpoints, slices and rules with it.
            let removed = try await node.kubectl(["delete", "service", "my-service"])
            #expect(removed.status == 0, "\(removed.combined)")
            try await eventually("my-service's Endpoints and slices gone", timeout: .seconds(20)) {
                let endpoints = try await node.endpoints("my-service")
                let slices = try await node.endpointSlices("my-service")
                return endpoints == nil && slices.isEmpty
            }
            try await eventually("my-service's rules gone", timeout: .seconds(10)) {
                let rules = try await node.serviceRules()
                return !rules.contains("30036") && !Self.mentions(rules, clusterIP)
            }
            #expect(try await node.notepadServer(viaNodePort) == nil)
            // The other Service is untouched.
            #expect(try await node.notepadServer("http://\(namedIP):8080/") != nil)
        }
    }

    /// Whether `rules` mention `ip` as a whole address (10.42.0.5, not 10.42.0.50).
    static func mentions(_ rules: String, _ ip: String) -> Bool {
        var rest = rules[...]
        while let range = rest.range(of: ip) {
            let next = rest[range.upperBound...].first
            if next.map({ !$0.isNumber }) ?? true { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }
}
