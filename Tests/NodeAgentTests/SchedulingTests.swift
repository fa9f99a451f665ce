import Foundation
import SkiffAPI
import Testing

/// Pods that name no node are bound by the scheduler inside `skiffd server`.
@Suite struct SchedulingTests {
    @Test func schedulesWhatFitsAndSaysWhyNotOtherwise() async throws {
        try await AgentNode.with { node in
            try await node.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: anywhere}
                spec:
                  containers:
                  - {name: app, image: busybox, command: ["sleep", "3600"], resources: {requests: {cpu: 100m, memory: 16Mi}}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: huge}
                spec:
                  containers:
                  - {name: app, image: busybox, command: ["sleep", "3600"], resources: {requests: {memory: 100000Gi}}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: picky}
                spec:
                  nodeSelector: {disktype: ssd}
                  containers:
                  - {name: app, image: busybox, command: ["sleep", "3600"]}
                """)
            let placed = try await node.waitForPod("anywhere", "scheduled and Running") { $0.phase == "Running" }
            #expect(placed["spec"]["nodeName"].stringValue == AgentNode.nodeName)
            try await eventually("the Scheduled event") {
                try await node.events(for: "anywhere").contains {
                    $0["reason"].stringValue == "Scheduled"
                        && $0["message"].stringValue == "Successfully assigned default/anywhere to \(AgentNode.nodeName)"
                }
            }
            for (pod, why) in [("huge", "1 Insufficient memory"), ("picky", "1 node(s) didn't match Pod's node affinity/selector")] {
                let pending = try await node.waitForPod(pod, "unschedulable") {
                    $0["status"]["conditions"].arrayValue?.contains { $0["reason"].stringValue == "Unschedulable" } == true
                }
                #expect(pending.phase == "Pending")
                #expect((pending["spec"]["nodeName"].stringValue ?? "").isEmpty)
                let message = "0/1 nodes are available: \(why)."
                #expect(pending["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "PodScheduled" }?["message"].stringValue == message)
                try await eventually("a FailedScheduling event for \(pod)") {
                    try await node.events(for: pod).contains {
                        $0["reason"].stringValue == "FailedScheduling" && $0["message"].stringValue == message
                    }
                }
            }
            // Labelling the node lets the picky pod in.
            #expect(try await node.kubectl(["label", "node", AgentNode.nodeName, "disktype=ssd"]).status == 0)
            try await node.waitForPod("picky", "scheduled once the node matches") { $0.phase == "Running" }
        }
    }
}
