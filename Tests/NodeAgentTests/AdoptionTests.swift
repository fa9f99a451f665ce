import Foundation
import SkiffAPI
import Testing

/// `skiffd` killed with SIGKILL and started again keeps its pods.
@Suite struct AdoptionTests {
    @Test func sigkilledDaemonReadoptsRunningPods() async throws {
        try await AgentNode.with { node in
            try await node.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: survivor}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  containers:
                  - name: notepad
                    image: mengsixing/notepad
                    readinessProbe: {httpGet: {path: /, port: 8083}, periodSeconds: 1}
                """)
            let before = try await node.waitForPod("survivor", "Ready") { $0.condition("Ready") == "True" }
            let ip = try #require(before["status"]["podIP"].stringValue)
            let containerID = before.containerStatus("notepad")["containerID"].stringValue
            await node.crash()
            // Still serving while no daemon runs.
            #expect(try await node.inNode(["curl", "-s", "-m", "5", "http://\(ip):8083/"]).stdout.contains("notepad"))
            try await node.restart()
            let after = try await node.waitForPod("survivor", "Running and Ready after the restart") {
                $0.condition("Ready") == "True" && $0.phase == "Running"
            }
            #expect(after["status"]["podIP"].stringValue == ip)
            // Readiness survived the restart: the Ready condition never went False.
            let readySince = before["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "Ready" }?["lastTransitionTime"]
            try await Task.sleep(for: .seconds(3))
            let later = try #require(try await node.pod("survivor"))
            #expect(later["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "Ready" }?["lastTransitionTime"] == readySince)
            #expect(after.containerStatus("notepad")["containerID"].stringValue == containerID)
            #expect(after.containerStatus("notepad")["restartCount"].int64Value == 0)
            // It is still managed: exec and deletion work.
            try await eventually("exec into the re-adopted container") {
                try await node.kubectl(["exec", "survivor", "--", "true"]).status == 0
            }
            #expect(try await node.inNode(["curl", "-s", "-m", "5", "http://\(ip):8083/"]).stdout.contains("notepad"))
        }
    }
}
