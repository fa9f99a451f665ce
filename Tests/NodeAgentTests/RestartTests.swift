import Foundation
import SkiffAPI
import SkiffClient
import Testing

/// restartPolicy, CrashLoopBackOff and OOMKilled.
@Suite struct RestartTests {
    /// A container that exits at once is restarted with growing delays and
    /// reports CrashLoopBackOff (the node runs with a 1 s first back-off).
    @Test func crashingContainerBacksOff() async throws {
        try await AgentNode.with { node in
            // Every status the agent writes, through a watch opened before the pod exists
            // (polling, or a watch opened after, could miss the short first wait on a loaded
            // machine): the back-offs grow 1 s, 2 s, 4 s (the node's first is 1 s).
            var backOffs: [String] = []
            let stream = try await node.client.stream(
                "/api/v1/namespaces/default/pods",
                query: [("watch", "true"), ("fieldSelector", "metadata.name=crasher")], accept: "application/json")
            try await node.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: crasher}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  containers:
                  - name: app
                    image: busybox
                    command: ["sh", "-c", "echo started at $(date +%s); exit 2"]
                """)
            var decoder = WatchEventDecoder()
            let deadline = ContinuousClock.now + .seconds(120)
            watching: for try await chunk in stream.body {
                for event in try decoder.feed(chunk) {
                    let status = event.object.containerStatus("app")
                    if status["state"]["waiting"]["reason"].stringValue == "CrashLoopBackOff",
                        let message = status["state"]["waiting"]["message"].stringValue,
                        let delay = message.split(separator: " restarting").first.map(String.init)
                    {
                        #expect(message.contains(" restarting failed container=app pod=crasher_default("), "\(message)")
                        #expect(status["lastState"]["terminated"]["exitCode"].int64Value == 2)
                        if backOffs.last != delay { backOffs.append(delay) }
                    }
                    if backOffs.contains("back-off 4s") || ContinuousClock.now > deadline { break watching }
                }
            }
            // On a loaded machine the first 1 s wait can pass before its status is written;
            // what must hold is the doubling: the waits seen are 1 s, 2 s, 4 s in order.
            let expected = ["back-off 1s", "back-off 2s", "back-off 4s"]
            #expect(backOffs.count >= 2 && backOffs == expected.filter(backOffs.contains), "\(backOffs)")
            #expect(backOffs.last == "back-off 4s", "\(backOffs)")
            let restarts = try await node.pod("crasher")?.containerStatus("app")["restartCount"].int64Value ?? 0
            #expect(restarts >= 3)
            let pod = try await node.pod("crasher")
            #expect(pod?.phase == "Running")
            let table = try await node.kubectl(["get", "pod", "crasher"])
            #expect(table.stdout.contains("CrashLoopBackOff") || table.stdout.contains("Error"), "\(table.stdout)")
            let events = try await node.events(for: "crasher").compactMap { $0["reason"].stringValue }
            #expect(events.contains("BackOff"), "\(events)")
        }
    }

    /// A container over its memory limit is OOM-killed and says so; with
    /// restartPolicy Never the pod fails.
    @Test func memoryLimitedContainerIsOOMKilled() async throws {
        try await AgentNode.with { node in
            try await node.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hog}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  restartPolicy: Never
                  containers:
                  - name: app
                    image: busybox
                    command: ["sh", "-c", "head -c 100m /dev/zero | tail > /dev/null"]
                    resources:
                      limits: {memory: 16Mi}
                """)
            let pod = try await node.waitForPod("hog", timeout: .seconds(40), "Failed") { $0.phase == "Failed" }
            let terminated = pod.containerStatus("app")["state"]["terminated"]
            #expect(terminated["reason"].stringValue == "OOMKilled", "\(pod["status"].serializedString())")
            #expect(terminated["exitCode"].int64Value == 137)
            #expect(pod.containerStatus("app")["restartCount"].int64Value == 0)
        }
    }

    /// restartPolicy OnFailure: a successful exit ends the pod as Succeeded.
    @Test func onFailureSucceeds() async throws {
        try await AgentNode.with { node in
            try await node.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: once}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  restartPolicy: OnFailure
                  containers:
                  - {name: app, image: busybox, command: ["sh", "-c", "echo done"]}
                """)
            let pod = try await node.waitForPod("once", "Succeeded") { $0.phase == "Succeeded" }
            #expect(pod.containerStatus("app")["state"]["terminated"]["reason"].stringValue == "Completed")
            #expect(pod.condition("Ready") == "False")
            #expect(try await node.kubectl(["logs", "once"]).stdout == "done\n")
        }
    }
}
