import Foundation
import SkiffAPI
import Testing

@testable import ControlPlane

/// The replicaset controller inside the real API server: creating in bursts,
/// adopting and releasing, replacing finished pods, scaling down the
/// cheapest pods first, status, and deletion through the garbage collector.
@Suite(.serialized) struct ReplicaSetControllerTests {
    static let manifest = """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: frontend}
        spec:
          replicas: 3
          minReadySeconds: 2
          selector: {matchLabels: {tier: frontend}}
          template:
            metadata: {labels: {tier: frontend}}
            spec: {containers: [{name: app, image: busybox}]}
        """

    static let orphan = """
        apiVersion: v1
        kind: Pod
        metadata: {name: stray, labels: {tier: frontend}}
        spec: {containers: [{name: app, image: busybox}]}
        """

    @Test func keepsReplicasAdoptsReleasesAndReplaces() async throws {
        try await StreamingTestServer.with(podStreaming: false) { server in
            let workload = WorkloadStore(server)
            // A matching pod made first is adopted: only two more are created.
            #expect(try await server.kubectl(["apply", "-f", "-"], stdin: Self.orphan).status == 0)
            #expect(try await server.kubectl(["apply", "-f", "-"], stdin: Self.manifest).status == 0)
            let replicaSet = try #require(try await workload.get("apps", "replicasets", "frontend"))
            let uid = replicaSet.metadata.uid
            #expect(try await eventually { try await workload.activePods(controlledBy: uid).count == 3 })
            try await Task.sleep(for: .milliseconds(300))
            var pods = try await workload.list("", "pods")
            #expect(pods.count == 3)
            let stray = try #require(try await workload.get("", "pods", "stray"))
            let reference = try #require(stray.metadata.controllerReference)
            #expect(reference.kind == "ReplicaSet" && reference.name == "frontend" && reference.uid == uid)
            #expect(pods.filter { $0.metadata.name?.hasPrefix("frontend-") == true }.count == 2)

            // Status: ready counts at once, available only after minReadySeconds (the
            // Ready stamp has whole seconds, so 2 s leave at least one to look early).
            let markedReady = ContinuousClock.now
            try await workload.markReady()
            #expect(try await eventually {
                try await workload.get("apps", "replicasets", "frontend")?["status"]["readyReplicas"] == 3
            })
            let early = try #require(try await workload.get("apps", "replicasets", "frontend"))["status"]
            #expect(early["replicas"] == 3 && early["fullyLabeledReplicas"] == 3 && early["observedGeneration"] == 1)
            // Only meaningful when this look came well within minReadySeconds (a loaded
            // machine may take longer than that to get here).
            if ContinuousClock.now - markedReady < .seconds(1) {
                #expect(early["availableReplicas"].int64Value ?? 0 < 3)
            }
            #expect(try await eventually {
                try await workload.get("apps", "replicasets", "frontend")?["status"]["availableReplicas"] == 3
            })

            // Relabelled: released (no longer controlled) and replaced.
            let relabel = try await server.kubectl(["label", "pod", "stray", "tier=other", "--overwrite"])
            #expect(relabel.status == 0, "\(relabel.combined)")
            #expect(try await eventually {
                let released = try await workload.get("", "pods", "stray")?.metadata.controllerReference == nil
                let count = try await workload.activePods(controlledBy: uid).count
                return released && count == 3
            })

            // A pod that finished is deleted and replaced.
            let victim = try #require(try await workload.activePods(controlledBy: uid).first)
            try await workload.finish(victim, phase: "Failed")
            #expect(try await eventually {
                let names = try await workload.activePods(controlledBy: uid).compactMap(\.metadata.name)
                let gone = try await workload.get("", "pods", victim.metadata.name ?? "") == nil
                return names.count == 3 && !names.contains(victim.metadata.name ?? "") && gone
            })

            // Scaling down goes for the pods that are not ready first.
            try await workload.markReady()
            #expect(try await server.kubectl(["scale", "rs/frontend", "--replicas=5"]).status == 0)
            #expect(try await eventually { try await workload.activePods(controlledBy: uid).count == 5 })
            let ready = Set(try await workload.activePods(controlledBy: uid).filter(PodState.isReady).compactMap(\.metadata.name))
            #expect(ready.count == 3)
            #expect(try await server.kubectl(["scale", "rs/frontend", "--replicas=3"]).status == 0)
            #expect(try await eventually { try await workload.activePods(controlledBy: uid).count == 3 })
            pods = try await workload.activePods(controlledBy: uid)
            #expect(Set(pods.compactMap(\.metadata.name)) == ready)

            let events = try await workload.list("", "events")
            let deletedPods = events.filter { $0["reason"] == "SuccessfulDelete" }.compactMap { $0["message"].stringValue }
            #expect(deletedPods.contains("Deleted pod: \(victim.metadata.name ?? "")"))
            #expect(events.allSatisfy { $0["reason"] != "SuccessfulCreate" || $0["source"]["component"] == "replicaset-controller" })

            // Deleting the ReplicaSet takes its pods; the released one stays.
            #expect(try await server.kubectl(["delete", "rs", "frontend"]).status == 0)
            #expect(try await eventually { try await workload.list("", "pods").compactMap(\.metadata.name) == ["stray"] })
        }
    }

    /// 100 pods in bursts: measured, and well under a few seconds.
    @Test func scalesToAHundredQuickly() async throws {
        try await StreamingTestServer.with(podStreaming: false) { server in
            let workload = WorkloadStore(server)
            #expect(try await server.kubectl(["apply", "-f", "-"], stdin: Self.manifest).status == 0)
            let uid = try #require(try await workload.get("apps", "replicasets", "frontend")).metadata.uid
            #expect(try await eventually { try await workload.activePods(controlledBy: uid).count == 3 })
            let clock = ContinuousClock()
            let started = clock.now
            #expect(try await server.kubectl(["scale", "rs/frontend", "--replicas=100"]).status == 0)
            #expect(try await eventually(timeout: .seconds(30)) { try await workload.activePods(controlledBy: uid).count == 100 })
            let up = clock.now - started
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await workload.activePods(controlledBy: uid).count == 100, "no pod more than asked")
            #expect(try await eventually {
                try await workload.get("apps", "replicasets", "frontend")?["status"]["replicas"] == 100
            })
            let downStarted = clock.now
            #expect(try await server.kubectl(["scale", "rs/frontend", "--replicas=0"]).status == 0)
            #expect(try await eventually(timeout: .seconds(30)) { try await workload.list("", "pods").isEmpty })
            let down = clock.now - downStarted
            print("replicaset scale 3 -> 100: \(up) (kubectl included); 100 -> 0: \(down)")
            #expect(up < .seconds(60), "a bound for hangs, not a benchmark")
        }
    }
}
