import Foundation
import SkiffAPI
import Testing

/// The seed's health-check example and an httpGet readiness probe.
@Suite struct ProbeTests {
    /// Liveness `cat /tmp/healthy`: once the file is gone the container is
    /// restarted; readiness on the same file in another pod only un-readies it.
    @Test func livenessRestartsAndReadinessUnreadies() async throws {
        try await AgentNode.with { node in
            for (name, probe) in [("liveness", "livenessProbe"), ("readiness", "readinessProbe")] {
                try await node.apply("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: \(name)}
                    spec:
                      nodeName: \(AgentNode.nodeName)
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: app
                        image: busybox
                        args: ["/bin/sh", "-c", "touch /tmp/healthy; sleep 3600"]
                        \(probe):
                          exec: {command: ["cat", "/tmp/healthy"]}
                          initialDelaySeconds: 1
                          periodSeconds: 1
                          timeoutSeconds: 5
                          failureThreshold: 2
                    """)
            }
            for name in ["liveness", "readiness"] {
                try await node.waitForPod(name, "Ready") { $0.condition("Ready") == "True" }
                let removed = try await node.kubectl(["exec", name, "--", "rm", "/tmp/healthy"])
                #expect(removed.status == 0, "\(removed.combined)")
            }
            let restarted = try await node.waitForPod("liveness", "restarted by its liveness probe") {
                ($0.containerStatus("app")["restartCount"].int64Value ?? 0) >= 1
                    && $0.containerStatus("app")["state"]["running"] != .null
            }
            #expect(restarted.containerStatus("app")["lastState"]["terminated"] != .null)
            let unready = try await node.waitForPod("readiness", "NotReady") { $0.condition("Ready") == "False" }
            #expect(unready.phase == "Running")
            #expect(unready.containerStatus("app")["ready"].boolValue == false)
            #expect(unready.containerStatus("app")["restartCount"].int64Value == 0)
            // Readiness comes back once the probe passes again.
            #expect(try await node.kubectl(["exec", "readiness", "--", "touch", "/tmp/healthy"]).status == 0)
            try await node.waitForPod("readiness", "Ready again") { $0.condition("Ready") == "True" }

            let events = try await node.events(for: "liveness")
            let messages = events.compactMap { $0["message"].stringValue }
            #expect(messages.contains { $0.hasPrefix("Liveness probe failed: cat: can't open '/tmp/healthy'") }, "\(messages)")
            #expect(messages.contains("Container app failed liveness probe, will be restarted"), "\(messages)")
            let stillReady = try await node.pod("readiness")
            #expect(stillReady?.containerStatus("app")["restartCount"].int64Value == 0)
        }
    }

    /// httpGet readiness against the notepad: Ready while it answers, and a
    /// probe of a port nothing listens on keeps the pod NotReady with the reason.
    @Test func httpGetReadinessAgainstTheNotepad() async throws {
        try await AgentNode.with { node in
            try await node.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  containers:
                  - name: notepad
                    image: mengsixing/notepad
                    ports: [{name: http, containerPort: 8083}]
                    readinessProbe:
                      httpGet: {path: /, port: http}
                      periodSeconds: 1
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: wrong-port}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  containers:
                  - name: notepad
                    image: mengsixing/notepad
                    readinessProbe:
                      tcpSocket: {port: 9999}
                      periodSeconds: 1
                      failureThreshold: 1
                """)
            try await node.waitForPod("web", "Ready") { $0.condition("Ready") == "True" }
            let wrong = try await node.waitForPod("wrong-port", "Running") { $0.phase == "Running" }
            #expect(wrong.condition("Ready") == "False")
            try await eventually("an Unhealthy event naming the refused connection") {
                try await node.events(for: "wrong-port").contains {
                    ($0["message"].stringValue ?? "").contains("Readiness probe failed: dial tcp")
                        && ($0["message"].stringValue ?? "").contains(":9999: connect: connection refused")
                }
            }
            #expect(try await node.pod("wrong-port")?.condition("Ready") == "False")
        }
    }
}
