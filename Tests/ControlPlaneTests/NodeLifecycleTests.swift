@testable import ControlPlane
import Foundation
import SkiffAPI
import Testing

/// The node lifecycle controller of the real API server (in this process):
/// a node whose heartbeat stops is marked Unknown and tainted, its pods stop
/// being Ready and are evicted when their toleration runs out; a node that
/// reports again is untainted; a pod on a node that does not exist is removed.
@Suite(.serialized) struct NodeLifecycleTests {
    @Test func aSilentNodeIsTaintedAndItsPodsEvicted() async throws {
        try await StreamingTestServer.with(podStreaming: false, configure: { $0.nodeMonitorGracePeriod = .seconds(2) }) { server in
            let now = RFC3339.format(Date())
            try await server.mustSucceed(["apply", "-f", "-"], stdin: """
                apiVersion: v1
                kind: Node
                metadata: {name: far-away}
                ---
                apiVersion: coordination.k8s.io/v1
                kind: Lease
                metadata: {name: far-away, namespace: kube-node-lease}
                spec: {holderIdentity: far-away, leaseDurationSeconds: 40, renewTime: "2026-01-01T00:00:00.000000Z"}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: tolerant}
                spec:
                  nodeName: far-away
                  tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 1}]
                  containers: [{name: app, image: busybox}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: patient}
                spec:
                  nodeName: far-away
                  containers: [{name: app, image: busybox}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: stranded}
                spec:
                  nodeName: ghost
                  containers: [{name: app, image: busybox}]
                """)
            try await server.reportReady(node: "far-away", at: now)
            for pod in ["tolerant", "patient"] {
                try await server.mustSucceed([
                    "patch", "pod", pod, "--subresource=status", "--type=merge", "-p",
                    #"{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"\#(now)"}]}}"#,
                ])
            }

            // Silent for longer than the grace period: Unknown, tainted, pods not ready.
            let node = try await server.waitFor("node/far-away", "Ready Unknown and tainted") { node in
                let ready = node["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "Ready" }
                let taints = (node["spec"]["taints"].arrayValue ?? []).compactMap { taint in
                    taint["key"].stringValue.map { "\($0):\(taint["effect"].stringValue ?? "")" }
                }
                return ready?["status"].stringValue == "Unknown"
                    && Set(taints) == ["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"]
            }
            let ready = try #require(node["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "Ready" })
            #expect(ready["reason"].stringValue == "NodeStatusUnknown")
            #expect(ready["message"].stringValue == "Kubelet stopped posting node status.")
            let patient = try await server.waitFor("pod/patient", "not Ready") { pod in
                pod["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "Ready" }?["status"].stringValue == "False"
            }
            // The toleration of one second runs out: evicted. The default 300 s keeps the other.
            let evicted = try await server.waitFor("pod/tolerant", "marked for deletion") { $0.metadata.deletionTimestamp != nil }
            #expect(evicted["spec"]["nodeName"].stringValue == "far-away")
            #expect(patient.metadata.deletionTimestamp == nil)
            let events = try await server.json(["get", "events", "--field-selector", "involvedObject.name=tolerant", "-o", "json"])
            #expect((events["items"].arrayValue ?? []).contains {
                $0["reason"].stringValue == "TaintManagerEviction"
                    && $0["message"].stringValue == "Marking for deletion Pod default/tolerant"
            })
            try await Task.sleep(for: .seconds(1))
            #expect(try await server.json(["get", "pod", "patient", "-o", "json"]).metadata.deletionTimestamp == nil)

            // Reporting again lifts the taints.
            try await server.reportReady(node: "far-away", at: RFC3339.format(Date()))
            try await server.waitFor("node/far-away", "untainted once it reports") { $0["spec"]["taints"].arrayValue == nil }

            // A pod bound to a node that does not exist is removed outright.
            try await server.waitFor("pods", "the stranded pod gone", timeout: .seconds(40)) { list in
                !(list["items"].arrayValue ?? []).contains { $0.metadata.name == "stranded" }
            }
        }
    }

    @Test func tolerationsDecideHowLongAPodStays() throws {
        func pod(_ tolerations: String) throws -> JSONValue {
            try JSONValue(jsonString: #"{"spec":{"tolerations":\#(tolerations)}}"#)
        }
        let unreachable: JSONValue = ["key": "node.kubernetes.io/unreachable", "effect": "NoExecute"]
        let custom: JSONValue = ["key": "dedicated", "value": "gpu", "effect": "NoExecute"]
        typealias T = NodeLifecycleController.Toleration
        #expect(NodeLifecycleController.toleration(of: try pod("[]"), for: unreachable) == T.seconds(300))
        #expect(NodeLifecycleController.toleration(of: try pod("[]"), for: custom) == T.none)
        #expect(NodeLifecycleController.toleration(of: try pod(#"[{"operator":"Exists"}]"#), for: custom) == T.forever)
        #expect(NodeLifecycleController.toleration(
            of: try pod(#"[{"key":"dedicated","value":"gpu","effect":"NoExecute","tolerationSeconds":5}]"#), for: custom) == T.seconds(5))
        #expect(NodeLifecycleController.toleration(
            of: try pod(#"[{"key":"dedicated","value":"cpu","effect":"NoExecute"}]"#), for: custom) == T.none)
        #expect(NodeLifecycleController.toleration(
            of: try pod(#"[{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoSchedule"}]"#), for: unreachable)
            == T.seconds(300))
    }
}

extension StreamingTestServer {
    func mustSucceed(_ arguments: [String], stdin: String? = nil) async throws {
        let result = try await kubectl(arguments, stdin: stdin)
        guard result.status == 0 else { throw StreamingTestError("kubectl \(arguments.joined(separator: " ")): \(result.combined)") }
    }

    func json(_ arguments: [String]) async throws -> JSONValue {
        let result = try await kubectl(arguments)
        guard result.status == 0 else { throw StreamingTestError("kubectl \(arguments.joined(separator: " ")): \(result.combined)") }
        return try JSONValue(jsonString: result.stdout)
    }

    /// What a kubelet posts: the Ready condition with a fresh heartbeat.
    func reportReady(node: String, at stamp: String) async throws {
        try await mustSucceed([
            "patch", "node", node, "--subresource=status", "--type=merge", "-p",
            #"{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","lastHeartbeatTime":"\#(stamp)","lastTransitionTime":"\#(stamp)"}]}}"#,
        ])
    }

    /// Polls `kubectl get <what> -o json` until `condition` holds.
    @discardableResult
    func waitFor(_ what: String, _ description: String, timeout: Duration = .seconds(20), _ condition: (JSONValue) -> Bool)
        async throws -> JSONValue
    {
        let deadline = ContinuousClock.now + timeout
        var last: JSONValue = .null
        while ContinuousClock.now < deadline {
            last = try await json(["get", what, "-o", "json"])
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(300))
        }
        throw StreamingTestError("timed out waiting for \(what): \(description); last seen: \(last.serializedString().prefix(2000))")
    }
}
