import Foundation
import SkiffAPI
import Testing

/// Deleting a pod stops it within its grace period (preStop first) and
/// leaves nothing of it on the node.
@Suite struct DeletionTests {
    @Test func deletionHonoursGraceAndCleansUp() async throws {
        try await AgentNode.with { node in
            try await node.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: stubborn}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  terminationGracePeriodSeconds: 2
                  containers:
                  - name: app
                    image: busybox
                    # Ignores SIGTERM: only SIGKILL after the grace period ends it.
                    command: ["sh", "-c", "trap '' TERM; echo up; while true; do sleep 1; done"]
                    lifecycle:
                      preStop: {exec: {command: ["sh", "-c", "echo bye > /data/prestop"]}}
                    volumeMounts: [{name: data, mountPath: /data}, {name: mem, mountPath: /mem}]
                  volumes:
                  - {name: data, hostPath: {path: \(node.base)/hostdata, type: DirectoryOrCreate}}
                  - {name: mem, emptyDir: {medium: Memory, sizeLimit: 8Mi}}
                """)
            let pod = try await node.waitForPod("stubborn", "Running") { $0.phase == "Running" }
            let uid = try #require(pod["metadata"]["uid"].stringValue)
            let sandboxes = try FileManager.default.contentsOfDirectory(atPath: "\(node.stateDir)/pods")
            #expect(sandboxes.count == 1)
            let links = try await node.inNode(["ip", "-o", "link"]).stdout
            let veths = links.split(separator: "\n").filter { $0.contains("master skiff0") }
            #expect(veths.count == 1, "\(links)")
            let logDir = "\(node.dataDir)/logs/default_stubborn_\(uid)"
            #expect(FileManager.default.fileExists(atPath: logDir))

            let started = ContinuousClock.now
            let deleted = try await node.kubectl(["delete", "pod", "stubborn", "--wait=true", "--timeout=30s"])
            let took = ContinuousClock.now - started
            #expect(deleted.status == 0, "\(deleted.combined)")
            #expect(took >= .milliseconds(1800) && took < .seconds(15), "deletion took \(took)")
            // preStop ran before the kill.
            #expect((try? String(contentsOfFile: "\(node.base)/hostdata/prestop", encoding: .utf8)) == "bye\n")
            #expect(try await node.pod("stubborn") == nil)
            // Nothing of it is left: sandbox records, veth, log files, mounts, volumes, cgroups.
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(node.stateDir)/pods").isEmpty)
            #expect(!FileManager.default.fileExists(atPath: logDir))
            #expect(!FileManager.default.fileExists(atPath: "\(node.dataDir)/pods/\(uid)"))
            let after = try await node.inNode(["ip", "-o", "link"]).stdout
            #expect(!after.split(separator: "\n").contains { $0.contains("master skiff0") }, "\(after)")
            let mounts = ProcFile.read("/proc/self/mountinfo")
            #expect(!mounts.contains(uid), "a mount of the pod is left")
            #expect(AgentLeftovers.find(containing: [uid]).isEmpty)
            let reasons = try await node.events(for: "stubborn").compactMap { $0["reason"].stringValue }
            #expect(reasons.contains("Killing"), "\(reasons)")
        }
    }
}
