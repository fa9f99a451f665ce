import Foundation
import SkiffAPI
import Testing

/// The daemonset controller against a real (single) node: one pod on it,
/// pinned by node affinity, none where the selector does not match, a pod
/// that follows the node's labels, and a rolling update.
@Suite struct DaemonSetTests {
    @Test func onePodPerMatchingNode() async throws {
        try await AgentNode.with { node in
            try await node.apply("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers: [{name: app, image: busybox, command: ["sleep", "3600"]}]
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: ssd}
                spec:
                  selector: {matchLabels: {app: ssd}}
                  template:
                    metadata: {labels: {app: ssd}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      nodeSelector: {disk: ssd}
                      containers: [{name: app, image: busybox, command: ["sleep", "3600"]}]
                """)
            let rolled = try await node.kubectl(["rollout", "status", "daemonset/agent", "--timeout=90s"], timeout: .seconds(100))
            #expect(rolled.status == 0 && rolled.stdout.contains("successfully rolled out"), "\(rolled.combined)")
            let set = try #require(try await node.api.get("/apis/apps/v1/namespaces/default/daemonsets/agent"))
            let status = set["status"]
            for field in ["desiredNumberScheduled", "currentNumberScheduled", "numberReady", "numberAvailable", "updatedNumberScheduled"] {
                #expect(status[field].int64Value == 1, "\(field): \(status.serializedString())")
            }
            #expect(status["numberMisscheduled"].int64Value == 0 && status["observedGeneration"] == set["metadata"]["generation"])
            let pods = try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=app%3Dagent")
            #expect(pods.count == 1)
            let pod = try #require(pods.first)
            #expect(pod["spec"]["nodeName"].stringValue == AgentNode.nodeName && pod.metadata.name?.hasPrefix("agent-") == true)
            let term = pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]
            #expect(term["matchFields"][0] == ["key": "metadata.name", "operator": "In", "values": [.string(AgentNode.nodeName)]])
            let tolerated = Set((pod["spec"]["tolerations"].arrayValue ?? []).compactMap { $0["key"].stringValue })
            #expect(tolerated.isSuperset(of: [
                "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "node.kubernetes.io/disk-pressure",
                "node.kubernetes.io/memory-pressure", "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unschedulable",
            ]))
            let firstHash = try #require(pod.metadata.labels["controller-revision-hash"])
            #expect(pod.metadata.labels["pod-template-generation"] == "1")
            #expect(pod.metadata.controllerReference?.kind == "DaemonSet")
            #expect(try await node.events(for: "agent").contains {
                $0["reason"].stringValue == "SuccessfulCreate" && $0["message"].stringValue == "Created pod: \(pod.metadata.name ?? "")"
            })

            // No node has disk=ssd: nothing desired, no pod.
            let ssd = try await node.api.get("/apis/apps/v1/namespaces/default/daemonsets/ssd")
            #expect(ssd?["status"]["desiredNumberScheduled"].int64Value == 0 && ssd?["status"]["currentNumberScheduled"].int64Value == 0)
            #expect(try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=app%3Dssd").isEmpty)
            let table = try await node.kubectl(["get", "daemonset", "ssd", "--no-headers"])
            #expect(table.stdout.split(separator: " ", omittingEmptySubsequences: true).dropFirst().prefix(5) == ["0", "0", "0", "0", "0"], "\(table.combined)")
            // The node gains the label: it gets the pod; it loses it: the pod goes.
            #expect(try await node.kubectl(["label", "node", AgentNode.nodeName, "disk=ssd"]).status == 0)
            try await eventually("the ssd daemon pod to run", timeout: .seconds(60)) {
                try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=app%3Dssd").contains { $0.phase == "Running" }
            }
            #expect(try await node.kubectl(["label", "node", AgentNode.nodeName, "disk-"]).status == 0)
            try await eventually("the ssd daemon pod to go", timeout: .seconds(60)) {
                try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=app%3Dssd").isEmpty
            }

            // A node that joins gets its pod, pinned to it; a node that goes takes it along. (No agent
            // runs "ghost": its pod waits for the scheduler, which does not bind to a node that is not Ready.)
            try await node.api.send("POST", "/api/v1/nodes", [
                "apiVersion": "v1", "kind": "Node", "metadata": ["name": "ghost", "labels": ["disk": "ssd"]],
            ])
            try await eventually("a daemon pod for the new node", timeout: .seconds(30)) {
                let pods = try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=app%3Dssd")
                let status = try await node.api.get("/apis/apps/v1/namespaces/default/daemonsets/ssd")?["status"]
                return pods.count == 1
                    && pods[0]["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]["matchFields"][0]["values"] == ["ghost"]
                    && status?["desiredNumberScheduled"].int64Value == 1 && status?["currentNumberScheduled"].int64Value == 1
                    && status?["numberReady"].int64Value == 0
            }
            try await node.api.send("DELETE", "/api/v1/nodes/ghost")
            try await eventually("the new node's daemon pod to go with it", timeout: .seconds(30)) {
                let pods = try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=app%3Dssd")
                let status = try await node.api.get("/apis/apps/v1/namespaces/default/daemonsets/ssd")?["status"]
                return pods.isEmpty && status?["desiredNumberScheduled"].int64Value == 0
            }

            // A deleted daemon pod is replaced.
            #expect(try await node.kubectl(["delete", "pod", pod.metadata.name ?? "", "--wait=true"]).status == 0)
            try await eventually("a replacement daemon pod", timeout: .seconds(60)) {
                let now = try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=app%3Dagent")
                return now.count == 1 && now[0].metadata.uid != pod.metadata.uid && now[0].phase == "Running"
            }

            // A template change rolls the pod over to the new revision.
            let patched = try await node.kubectl([
                "patch", "daemonset", "agent", "--type=merge", "-p", #"{"spec":{"template":{"metadata":{"annotations":{"rev":"2"}}}}}"#,
            ])
            #expect(patched.status == 0, "\(patched.combined)")
            let again = try await node.kubectl(["rollout", "status", "daemonset/agent", "--timeout=90s"], timeout: .seconds(100))
            #expect(again.status == 0, "\(again.combined)")
            try await eventually("one pod at the new revision") {
                let now = try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=app%3Dagent")
                return now.count == 1 && now[0].metadata.labels["controller-revision-hash"] != firstHash
                    && now[0].metadata.labels["pod-template-generation"] == "2" && now[0].metadata.annotations["rev"] == "2"
            }
            let updated = try await node.api.get("/apis/apps/v1/namespaces/default/daemonsets/agent")
            #expect(updated?["status"]["updatedNumberScheduled"].int64Value == 1 && updated?["status"]["numberReady"].int64Value == 1)
            // Settled: nothing rewrites the set any more.
            try await Task.sleep(for: .seconds(2))
            let later = try await node.api.get("/apis/apps/v1/namespaces/default/daemonsets/agent")
            #expect(later?.metadata.resourceVersion == updated?.metadata.resourceVersion)

            #expect(try await node.kubectl(["delete", "daemonsets", "--all", "--wait=true"]).status == 0)
            try await eventually("the daemon pods to go with their sets") {
                try await node.api.list("/api/v1/namespaces/default/pods").isEmpty
            }
            // The controller never had to log a failure of its own.
            let complaints = node.log.split(separator: "\n").filter { $0.contains("daemonset controller:") }
            #expect(complaints.isEmpty, "\(complaints)")
        }
    }
}
