import Foundation
import SkiffAPI
import Testing

@testable import ControlPlane

/// A rollout interrupted by a server restart finishes from the store alone:
/// the same ReplicaSets (the hash is stable), no pod created twice, none lost.
@Suite(.serialized) struct DeploymentRestartTests {
    @Test func rolloutSurvivesARestart() async throws {
        try await RestartableTestServer.with { server in
            var workload = server.workload
            #expect(try await server.kubectl(["apply", "-f", DeploymentControllerTests.seed]).status == 0)
            #expect(try await server.kubectl(["scale", "deployment/notepad", "--replicas=10"]).status == 0)
            let first = try await workload.withKubelet {
                try await server.kubectl(["rollout", "status", "deployment/notepad"])
            }
            #expect(first.status == 0, "\(first.combined)")
            // Mid-rollout: the new pods never become ready before the restart.
            #expect(try await server.kubectl(["set", "image", "deployment/notepad", "notepad=mengsixing/notepad:new"]).status == 0)
            #expect(try await eventually {
                let sets = try await workload.replicaSets(of: "notepad")
                guard sets.count == 2 else { return false }
                // 10 at 25%: old down to 8 (2 unavailable), new up to 5 (13 pods at most).
                let created = try await workload.activePods(controlledBy: sets[1].metadata.uid).count
                return sets.map(WorkloadStore.replicas) == [8, 5] && created == 5
            })
            let before = try await workload.replicaSets(of: "notepad")

            try await server.restart()
            workload = server.workload
            let after = try await workload.replicaSets(of: "notepad")
            #expect(after.map(\.metadata.uid) == before.map(\.metadata.uid))

            try await workload.withKubelet {
                let status = try await server.kubectl(["rollout", "status", "deployment/notepad"], timeout: .seconds(60))
                #expect(status.status == 0, "\(status.combined)")
            }
            let final = try await workload.replicaSets(of: "notepad")
            #expect(final.map(\.metadata.uid) == before.map(\.metadata.uid), "no third ReplicaSet")
            #expect(final.map(WorkloadStore.replicas) == [0, 10])
            let pods = try await workload.list("", "pods")
            #expect(pods.count == 10)
            #expect(pods.allSatisfy { $0.metadata.controllerReference?.uid == final[1].metadata.uid })
            // Exactly ten pods were ever created for the new ReplicaSet: one event each.
            let created = try await workload.list("", "events").filter {
                $0["reason"] == "SuccessfulCreate" && $0["involvedObject"]["uid"] == .string(final[1].metadata.uid ?? "")
            }
            #expect(created.count == 10)
            #expect(created.allSatisfy { $0["count"] == 1 })
        }
    }
}
