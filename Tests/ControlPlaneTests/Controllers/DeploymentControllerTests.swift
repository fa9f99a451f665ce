import Foundation
import SkiffAPI
import Testing

@testable import ControlPlane

/// The deployment and replicaset controllers inside the real API server,
/// driven by the real kubectl 1.32 and by `skiff`; the tests play the kubelet.
@Suite(.serialized) struct DeploymentControllerTests {
    static let seed = "/work/shared/seed/manifests/deployment.yaml"

    /// The seed manifest, applied unchanged: one ReplicaSet named after the
    /// template hash, three pods with the right labels and owners, events,
    /// `rollout status` (kubectl and skiff) finishing only once pods are ready,
    /// and deletion taking everything with it.
    @Test func seedDeploymentRollsOutAndIsCollected() async throws {
        try await StreamingTestServer.with(podStreaming: false) { server in
            let workload = WorkloadStore(server)
            let applied = try await server.kubectl(["apply", "-f", Self.seed])
            #expect(applied.status == 0, "\(applied.combined)")
            #expect(try await eventually { try await workload.replicaSets(of: "notepad").count == 1 })
            let deployment = try await workload.deployment("notepad")
            let replicaSet = try #require(try await workload.replicaSets(of: "notepad").first)
            let name = try #require(replicaSet.metadata.name)
            let hash = try #require(replicaSet.metadata.labels["pod-template-hash"])
            #expect(name == "notepad-\(hash)")
            #expect(hash.count >= 8 && hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
            #expect(replicaSet.metadata.labels == ["app": "mytest", "pod-template-hash": hash])
            #expect(replicaSet["spec"]["selector"]["matchLabels"] == ["app": "mytest", "pod-template-hash": .string(hash)])
            #expect(replicaSet["spec"]["replicas"] == 3)
            #expect(replicaSet.metadata.annotations["deployment.kubernetes.io/revision"] == "1")
            #expect(replicaSet.metadata.annotations["deployment.kubernetes.io/desired-replicas"] == "3")
            #expect(replicaSet.metadata.annotations["deployment.kubernetes.io/max-replicas"] == "4")
            #expect(replicaSet.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"] == nil)
            let owner = try #require(replicaSet.metadata.controllerReference)
            #expect(owner.apiVersion == "apps/v1" && owner.kind == "Deployment" && owner.name == "notepad")
            #expect(owner.uid == deployment.metadata.uid && owner.blockOwnerDeletion == true)

            #expect(try await eventually { try await workload.activePods(controlledBy: replicaSet.metadata.uid).count == 3 })
            let pods = try await workload.activePods(controlledBy: replicaSet.metadata.uid)
            for pod in pods {
                #expect(pod.metadata.name?.hasPrefix("\(name)-") == true)
                #expect(pod.metadata.generateName == "\(name)-")
                #expect(pod.metadata.labels == ["app": "mytest", "pod-template-hash": hash])
                let podOwner = try #require(pod.metadata.controllerReference)
                #expect(podOwner.kind == "ReplicaSet" && podOwner.name == name && podOwner.apiVersion == "apps/v1")
                #expect(pod["spec"]["containers"][0]["image"] == "mengsixing/notepad")
            }

            // Not ready yet: rollout status waits, and says what for.
            #expect(try await eventually { try await workload.deployment("notepad")["status"]["updatedReplicas"] == 3 })
            let waiting = try await server.kubectl(["rollout", "status", "deployment/notepad", "--timeout=2s"])
            #expect(waiting.status != 0)
            #expect(
                waiting.stdout.contains(
                    "Waiting for deployment \"notepad\" rollout to finish: 0 of 3 updated replicas are available..."),
                "\(waiting.combined)")
            let revisioned = try await workload.deployment("notepad")
            #expect(revisioned.metadata.annotations["deployment.kubernetes.io/revision"] == "1")
            #expect(revisioned["status"]["updatedReplicas"] == 3)
            #expect(revisioned["status"]["unavailableReplicas"] == 3)
            let available = revisioned["status"]["conditions"].arrayValue?.first { $0["type"] == "Available" }
            #expect(available?["status"] == "False" && available?["reason"] == "MinimumReplicasUnavailable")
            #expect(available?["message"] == "Deployment does not have minimum availability.")

            // kubectl waits on its watch, and finishes when the pods turn ready.
            async let status = server.kubectl(["rollout", "status", "deployment/notepad", "--timeout=30s"])
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await workload.markReady() == 3)
            let done = try await status
            #expect(done.status == 0, "\(done.combined)")
            #expect(done.stdout.hasSuffix("deployment \"notepad\" successfully rolled out\n"), "\(done.stdout)")
            let skiffStatus = try await server.skiff(["rollout", "status", "deployment/notepad"])
            #expect(skiffStatus.status == 0, "\(skiffStatus.combined)")
            #expect(skiffStatus.stdout == "deployment \"notepad\" successfully rolled out\n")

            let rolled = try await workload.deployment("notepad")
            let conditions = rolled["status"]["conditions"].arrayValue ?? []
            let progressing = conditions.first { $0["type"] == "Progressing" }
            #expect(progressing?["status"] == "True" && progressing?["reason"] == "NewReplicaSetAvailable")
            #expect(progressing?["message"] == .string("ReplicaSet \"\(name)\" has successfully progressed."))
            #expect(conditions.first { $0["type"] == "Available" }?["reason"] == "MinimumReplicasAvailable")
            #expect(rolled["status"]["availableReplicas"] == 3 && rolled["status"]["readyReplicas"] == 3)
            #expect(rolled["status"]["unavailableReplicas"].isNull)
            #expect(rolled["status"]["observedGeneration"] == rolled["metadata"]["generation"])
            #expect(try await eventually {
                let current = try await workload.get("apps", "replicasets", name)
                return current?["status"]["availableReplicas"] == 3 && current?["status"]["readyReplicas"] == 3
                    && current?["status"]["fullyLabeledReplicas"] == 3 && current?["status"]["observedGeneration"] == 1
            })

            let events = try await workload.list("", "events")
            let scaling = events.first { $0["reason"] == "ScalingReplicaSet" }
            #expect(scaling?["message"] == .string("Scaled up replica set \(name) from 0 to 3"))
            #expect(scaling?["source"]["component"] == "deployment-controller")
            #expect(scaling?["involvedObject"]["kind"] == "Deployment")
            let created = events.filter { $0["reason"] == "SuccessfulCreate" }
            #expect(created.count == 3)
            #expect(created.allSatisfy { $0["source"]["component"] == "replicaset-controller" })
            #expect(Set(created.compactMap { $0["message"].stringValue })
                == Set(pods.compactMap { $0.metadata.name.map { "Created pod: \($0)" } }))

            // What kubectl shows.
            let table = try await server.kubectl(["get", "deployment", "notepad"])
            #expect(table.stdout.contains("3/3     3            3"), "\(table.stdout)")

            // Deleting the Deployment takes its ReplicaSet and pods (garbage collector).
            let deleted = try await server.kubectl(["delete", "deployment", "notepad"])
            #expect(deleted.status == 0, "\(deleted.combined)")
            #expect(try await eventually {
                let replicaSets = try await workload.list("apps", "replicasets")
                let pods = try await workload.list("", "pods")
                return replicaSets.isEmpty && pods.isEmpty
            })
        }
    }

    /// scale, set image (a rolling update within maxSurge/maxUnavailable at
    /// every step), history, and undo with kubectl and with skiff.
    @Test func rollingUpdateHistoryAndUndo() async throws {
        try await StreamingTestServer.with(podStreaming: false) { server in
            let workload = WorkloadStore(server)
            try await workload.withKubelet {
                #expect(try await server.kubectl(["apply", "-f", Self.seed]).status == 0)
                #expect(try await server.kubectl(["rollout", "status", "deployment/notepad"]).status == 0)

                let clock = ContinuousClock()
                let started = clock.now
                let scaled = try await server.kubectl(["scale", "deployment/notepad", "--replicas=10"])
                #expect(scaled.stdout == "deployment.apps/notepad scaled\n", "\(scaled.combined)")
                let first = try #require(try await workload.replicaSets(of: "notepad").first)
                #expect(try await eventually { try await workload.activePods(controlledBy: first.metadata.uid).count == 10 })
                print("scale 3 -> 10: pods created after \(clock.now - started)")
                #expect(try await server.kubectl(["rollout", "status", "deployment/notepad"]).status == 0)
                #expect(try await workload.get("apps", "replicasets", first.metadata.name ?? "")?.metadata
                    .annotations["deployment.kubernetes.io/desired-replicas"] == "10")

                // 10 replicas at 25%: at most 13 pods, at least 8 ready, at every step.
                let census = try await PodCensus(workload, label: ("app", "mytest"))
                let image = try await server.kubectl(["set", "image", "deployments/notepad", "notepad=mengsixing/notepad:new"])
                #expect(image.stdout == "deployment.apps/notepad image updated\n", "\(image.combined)")
                let rolled = try await server.kubectl(["rollout", "status", "deployment/notepad"], timeout: .seconds(60))
                #expect(rolled.status == 0, "\(rolled.combined)")
                #expect(rolled.stdout.hasSuffix("deployment \"notepad\" successfully rolled out\n"))
                let seen = await census.finish()
                #expect(seen.mostActive <= 13, "\(seen)")
                #expect(seen.mostActive > 10, "the rollout surged: \(seen)")
                #expect(seen.fewestReady >= 8, "\(seen)")
                #expect(seen.events > 20)

                var sets = try await workload.replicaSets(of: "notepad")
                #expect(sets.count == 2)
                #expect(sets.map(WorkloadStore.revision) == [1, 2])
                #expect(sets.map(WorkloadStore.replicas) == [0, 10])
                let second = sets[1]
                #expect(second["spec"]["template"]["spec"]["containers"][0]["image"] == "mengsixing/notepad:new")
                #expect(try await workload.deployment("notepad").metadata.annotations["deployment.kubernetes.io/revision"] == "2")
                let pods = try await workload.list("", "pods")
                #expect(pods.count == 10)
                #expect(pods.allSatisfy { $0["spec"]["containers"][0]["image"] == "mengsixing/notepad:new" })
                let events = try await workload.list("", "events").compactMap { $0["message"].stringValue }
                #expect(events.contains("Scaled up replica set \(second.metadata.name ?? "") from 0 to 3"))
                #expect(events.contains { $0.hasPrefix("Scaled down replica set \(first.metadata.name ?? "") from 10 to") })

                let history = try await server.kubectl(["rollout", "history", "deployment/notepad"])
                #expect(history.stdout == "deployment.apps/notepad \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n",
                    "\(history.combined)")

                // kubectl undo: the first ReplicaSet comes back as revision 3.
                let undone = try await server.kubectl(["rollout", "undo", "deployment/notepad"])
                #expect(undone.stdout == "deployment.apps/notepad rolled back\n", "\(undone.combined)")
                #expect(try await server.kubectl(["rollout", "status", "deployment/notepad"], timeout: .seconds(60)).status == 0)
                sets = try await workload.replicaSets(of: "notepad")
                #expect(sets.count == 2)
                #expect(sets.map { $0.metadata.name } == [second.metadata.name, first.metadata.name])
                #expect(sets.map(WorkloadStore.revision) == [2, 3])
                #expect(sets.map(WorkloadStore.replicas) == [0, 10])
                let back = try await workload.deployment("notepad")
                #expect(back["spec"]["template"]["spec"]["containers"][0]["image"] == "mengsixing/notepad")
                #expect(back.metadata.annotations["deployment.kubernetes.io/revision"] == "3")
                #expect(sets[1].metadata.annotations["deployment.kubernetes.io/revision-history"] == "1")
                let history3 = try await server.kubectl(["rollout", "history", "deployment/notepad"])
                #expect(history3.stdout.contains("2         <none>\n3         <none>\n"), "\(history3.stdout)")
                #expect(try await workload.list("", "pods").allSatisfy {
                    $0.metadata.labels["pod-template-hash"] == first.metadata.labels["pod-template-hash"]
                })

                // A change cause annotated now belongs to the current revision (3); skiff
                // undo then brings the second ReplicaSet back as revision 4.
                _ = try await server.kubectl(["annotate", "deployment/notepad", "kubernetes.io/change-cause=undone once"])
                #expect(try await eventually {
                    try await workload.get("apps", "replicasets", first.metadata.name ?? "")?.metadata
                        .annotations["kubernetes.io/change-cause"] == "undone once"
                })
                let skiffUndo = try await server.skiff(["rollout", "undo", "deployment/notepad"])
                #expect(skiffUndo.status == 0, "\(skiffUndo.combined)")
                let skiffStatus = try await server.skiff(["rollout", "status", "deployment/notepad"], timeout: .seconds(60))
                #expect(skiffStatus.stdout.hasSuffix("deployment \"notepad\" successfully rolled out\n"), "\(skiffStatus.combined)")
                sets = try await workload.replicaSets(of: "notepad")
                #expect(sets.map { $0.metadata.name } == [first.metadata.name, second.metadata.name])
                #expect(sets.map(WorkloadStore.revision) == [3, 4])
                #expect(sets[1].metadata.annotations["deployment.kubernetes.io/revision-history"] == "2")
                let skiffHistory = try await server.skiff(["rollout", "history", "deployment/notepad"])
                #expect(skiffHistory.stdout.contains("3         undone once\n4         <none>\n"), "\(skiffHistory.combined)")
            }
        }
    }

    /// Recreate (no new pod before every old one is gone), pause (no
    /// rollout, scaling still applies), and revisionHistoryLimit.
    @Test func recreatePauseAndHistoryLimit() async throws {
        try await StreamingTestServer.with(podStreaming: false) { server in
            let workload = WorkloadStore(server)
            let manifest = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  revisionHistoryLimit: 1
                  strategy: {type: Recreate}
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: app, image: busybox:1}]}
                """
            try await workload.withKubelet {
                #expect(try await server.kubectl(["apply", "-f", "-"], stdin: manifest).status == 0)
                #expect(try await server.kubectl(["rollout", "status", "deployment/web"]).status == 0)

                let census = try await PodCensus(workload, label: ("app", "web"))
                #expect(try await server.kubectl(["set", "image", "deployment/web", "app=busybox:2"]).status == 0)
                #expect(try await server.kubectl(["rollout", "status", "deployment/web"]).status == 0)
                let seen = await census.finish()
                // Never old and new pods together: at most 2 active, and a moment with none ready.
                #expect(seen.mostActive == 2, "\(seen)")
                #expect(seen.fewestReady == 0, "\(seen)")
                #expect(try await workload.list("", "pods").allSatisfy { $0["spec"]["containers"][0]["image"] == "busybox:2" })

                // A third template: the limit of one old ReplicaSet prunes revision 1.
                #expect(try await server.kubectl(["set", "image", "deployment/web", "app=busybox:3"]).status == 0)
                #expect(try await server.kubectl(["rollout", "status", "deployment/web"]).status == 0)
                #expect(try await eventually { try await workload.replicaSets(of: "web").map(WorkloadStore.revision) == [2, 3] })

                // Paused: a template change does not roll, a scale does.
                #expect(try await server.kubectl(["rollout", "pause", "deployment/web"]).status == 0)
                #expect(try await server.kubectl(["set", "image", "deployment/web", "app=busybox:4"]).status == 0)
                #expect(try await server.kubectl(["scale", "deployment/web", "--replicas=3"]).status == 0)
                #expect(try await eventually { try await workload.list("", "pods").count == 3 })
                try await Task.sleep(for: .milliseconds(500))
                let paused = try await workload.deployment("web")
                #expect(try await workload.replicaSets(of: "web").count == 2)
                #expect(try await workload.list("", "pods").allSatisfy { $0["spec"]["containers"][0]["image"] == "busybox:3" })
                let pausedCondition = paused["status"]["conditions"].arrayValue?.first { $0["type"] == "Progressing" }
                #expect(pausedCondition?["reason"] == "DeploymentPaused" && pausedCondition?["status"] == "Unknown")
                #expect(pausedCondition?["message"] == "Deployment is paused")

                #expect(try await server.kubectl(["rollout", "resume", "deployment/web"]).status == 0)
                #expect(try await server.kubectl(["rollout", "status", "deployment/web"]).status == 0)
                #expect(try await workload.list("", "pods").allSatisfy { $0["spec"]["containers"][0]["image"] == "busybox:4" })
                #expect(try await eventually { try await workload.replicaSets(of: "web").map(WorkloadStore.revision) == [3, 4] })
                #expect(try await workload.list("", "pods").count == 3)

                // skiff rollout restart: a template annotation, so a new revision.
                let restarted = try await server.skiff(["rollout", "restart", "deployment/web"])
                #expect(restarted.stdout == "deployment.apps/web restarted\n", "\(restarted.combined)")
                #expect(try await server.kubectl(["rollout", "status", "deployment/web"]).status == 0)
                #expect(try await eventually { try await workload.replicaSets(of: "web").map(WorkloadStore.revision) == [4, 5] })
                let newest = try #require(try await workload.replicaSets(of: "web").last)
                #expect(newest["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"].stringValue != nil)
            }
        }
    }

    /// A selector that does not match the template is refused with the API
    /// server's message; a rollout that cannot progress makes `rollout
    /// status` fail once progressDeadlineSeconds pass.
    @Test func badSelectorAndProgressDeadline() async throws {
        try await StreamingTestServer.with(podStreaming: false) { server in
            let workload = WorkloadStore(server)
            let bad = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: bad}
                spec:
                  selector: {matchLabels: {app: one}}
                  template:
                    metadata: {labels: {app: two}}
                    spec: {containers: [{name: app, image: busybox}]}
                """
            let refused = try await server.kubectl(["apply", "-f", "-"], stdin: bad)
            #expect(refused.status != 0)
            #expect(
                refused.stderr.contains(
                    "The Deployment \"bad\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"two\"}: `selector` does not match template `labels`"
                ), "\(refused.stderr)")

            let stuck = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: stuck}
                spec:
                  replicas: 2
                  progressDeadlineSeconds: 2
                  selector: {matchLabels: {app: stuck}}
                  template:
                    metadata: {labels: {app: stuck}}
                    spec: {containers: [{name: app, image: busybox}]}
                """
            #expect(try await server.kubectl(["apply", "-f", "-"], stdin: stuck).status == 0)
            let clock = ContinuousClock()
            let started = clock.now
            let failed = try await server.kubectl(["rollout", "status", "deployment/stuck"], timeout: .seconds(20))
            #expect(failed.status != 0)
            #expect(failed.stderr.contains("error: deployment \"stuck\" exceeded its progress deadline"), "\(failed.combined)")
            #expect(clock.now - started >= .seconds(1))
            let deployment = try await workload.deployment("stuck")
            let progressing = deployment["status"]["conditions"].arrayValue?.first { $0["type"] == "Progressing" }
            let name = try #require(try await workload.replicaSets(of: "stuck").first?.metadata.name)
            #expect(progressing?["status"] == "False" && progressing?["reason"] == "ProgressDeadlineExceeded")
            #expect(progressing?["message"] == .string("ReplicaSet \"\(name)\" has timed out progressing."))
            let skiffFailed = try await server.skiff(["rollout", "status", "deployment/stuck"])
            #expect(skiffFailed.status != 0)
            #expect(skiffFailed.stderr.contains("exceeded its progress deadline"), "\(skiffFailed.combined)")

            // Progress after the deadline clears it, and the rollout finishes.
            #expect(try await workload.markReady() == 2)
            #expect(try await server.kubectl(["rollout", "status", "deployment/stuck"]).status == 0)
        }
    }

    /// `spec.replicas` changed in the middle of a rollout: the difference is
    /// shared between old and new ReplicaSets in proportion (Kubernetes'
    /// proportional scaling), within the new surge, and the rollout then
    /// finishes at the new size.
    @Test func scalingInTheMiddleOfARollout() async throws {
        try await StreamingTestServer.with(podStreaming: false) { server in
            let workload = WorkloadStore(server)
            #expect(try await server.kubectl(["apply", "-f", Self.seed]).status == 0)
            #expect(try await server.kubectl(["scale", "deployment/notepad", "--replicas=10"]).status == 0)
            let first = try await workload.withKubelet {
                try await server.kubectl(["rollout", "status", "deployment/notepad"])
            }
            #expect(first.status == 0, "\(first.combined)")
            #expect(try await server.kubectl(["set", "image", "deployment/notepad", "notepad=mengsixing/notepad:new"]).status == 0)
            // None of the new pods becomes ready: the rollout stops at 8 old and 5 new (13 at most).
            #expect(try await eventually {
                try await workload.replicaSets(of: "notepad").map(WorkloadStore.replicas) == [8, 5]
            })
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await workload.replicaSets(of: "notepad").map(WorkloadStore.replicas) == [8, 5])
            #expect(try await server.kubectl(["scale", "deployment/notepad", "--replicas=20"]).status == 0)
            // 20 at 25%: room for 25 pods; the 12 more are shared in proportion (8:5 of 13 -> 15:10 of 25).
            #expect(try await eventually {
                try await workload.replicaSets(of: "notepad").map(WorkloadStore.replicas) == [15, 10]
            })
            let sized = try await workload.replicaSets(of: "notepad")
            #expect(sized.allSatisfy { $0.metadata.annotations["deployment.kubernetes.io/desired-replicas"] == "20" })
            #expect(sized.allSatisfy { $0.metadata.annotations["deployment.kubernetes.io/max-replicas"] == "25" })
            let done = try await workload.withKubelet {
                try await server.kubectl(["rollout", "status", "deployment/notepad"], timeout: .seconds(60))
            }
            #expect(done.status == 0, "\(done.combined)")
            #expect(try await workload.replicaSets(of: "notepad").map(WorkloadStore.replicas) == [0, 20])
            #expect(try await workload.list("", "pods").count == 20)
        }
    }

    /// A ReplicaSet of another template already holds the name: the
    /// collision is counted in `status.collisionCount` and the next name used.
    @Test func hashCollisionMovesToAnotherName() async throws {
        try await StreamingTestServer.with(podStreaming: false) { server in
            let workload = WorkloadStore(server)
            // Paused from the start, so no ReplicaSet exists while the test takes the name.
            let paused = try String(contentsOfFile: Self.seed, encoding: .utf8).replacingOccurrences(
                of: "  replicas: 3", with: "  replicas: 3\n  paused: true")
            #expect(try await server.kubectl(["apply", "-f", "-"], stdin: paused).status == 0)
            let deployment = try await workload.deployment("notepad")
            let hash = PodTemplateHash.compute(deployment["spec"]["template"], collisionCount: nil)
            let squatter = """
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata: {name: notepad-\(hash)}
                spec:
                  replicas: 0
                  selector: {matchLabels: {app: other}}
                  template:
                    metadata: {labels: {app: other}}
                    spec: {containers: [{name: app, image: busybox}]}
                """
            #expect(try await server.kubectl(["apply", "-f", "-"], stdin: squatter).status == 0)
            #expect(try await server.kubectl(["rollout", "resume", "deployment/notepad"]).status == 0)
            #expect(try await eventually { try await workload.replicaSets(of: "notepad").count == 1 })
            let owned = try #require(try await workload.replicaSets(of: "notepad").first)
            let second = PodTemplateHash.compute(deployment["spec"]["template"], collisionCount: 1)
            #expect(owned.metadata.name == "notepad-\(second)")
            #expect(try await workload.deployment("notepad")["status"]["collisionCount"] == 1)
            let untouched = try #require(try await workload.get("apps", "replicasets", "notepad-\(hash)"))
            #expect(untouched.metadata.controllerReference == nil)
        }
    }
}
