import Foundation
import SkiffAPI
import Testing

/// `skiffd` killed with SIGKILL in the middle of a rolling update, then
/// started again on the same directories: the Service keeps answering from
/// the pods that stayed up while the daemon is gone, and afterwards the
/// rollout completes with exactly the wanted pods — none duplicated, none
/// lost.
@Suite struct RolloutCrashTests {
    @Test func aRolloutSurvivesKillNine() async throws {
        try await AgentNode.with { node in
            try await node.apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: notes}
                spec:
                  replicas: 4
                  minReadySeconds: 2
                  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
                  selector: {matchLabels: {app: notes}}
                  template:
                    metadata: {labels: {app: notes}}
                    spec:
                      terminationGracePeriodSeconds: 2
                      containers:
                      - {name: notepad, image: mengsixing/notepad, ports: [{containerPort: 8083}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: notes}
                spec:
                  selector: {app: notes}
                  ports: [{port: 80, targetPort: 8083}]
                """)
            let rollout = try await node.kubectl(["rollout", "status", "deployment/notes", "--timeout=120s"], timeout: .seconds(130))
            #expect(rollout.status == 0, "\(rollout.combined)")
            let service = try #require(try await node.api.get("/api/v1/namespaces/default/services/notes"))
            let clusterIP = try #require(service["spec"]["clusterIP"].stringValue)
            try await eventually("the Service answering") { try await Self.version(node, clusterIP) == "v1" }

            #expect(try await node.kubectl(["set", "image", "deployment/notes", "notepad=mengsixing/notepad:new"]).status == 0)
            // Mid-rollout: some pods of the new template are up, not all.
            try await eventually("the rollout half way", timeout: .seconds(90)) {
                let status = try await node.api.get("/apis/apps/v1/namespaces/default/deployments/notes")?["status"]
                let updated = status?["updatedReplicas"].int64Value ?? 0
                return updated >= 1 && updated < 4
            }
            await node.crash()

            // The daemon is gone; the kernel still forwards to the pods that stayed up.
            for _ in 0..<5 {
                let answer = try await Self.version(node, clusterIP)
                #expect(answer == "v1" || answer == "v2", "the Service stopped answering while skiffd was down")
            }

            try await node.restart()
            let finished = try await node.kubectl(["rollout", "status", "deployment/notes", "--timeout=180s"], timeout: .seconds(190))
            #expect(finished.status == 0, "\(finished.combined)")
            try await eventually("exactly 4 pods, all of the new template", timeout: .seconds(60)) {
                let pods = try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=app%3Dnotes")
                let images = pods.map { $0["spec"]["containers"][0]["image"].stringValue ?? "" }
                return pods.count == 4 && images.allSatisfy { $0 == "mengsixing/notepad:new" }
                    && pods.allSatisfy { $0.metadata.deletionTimestamp == nil && $0.phase == "Running" }
            }
            let pods = try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=app%3Dnotes")
            #expect(Set(pods.compactMap(\.metadata.name)).count == 4)
            let owners = Set(pods.compactMap { $0.metadata.controllerReference?.uid })
            #expect(owners.count == 1, "every pod belongs to the new ReplicaSet")
            let sets = try await node.api.list("/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dnotes")
            #expect(sets.count == 2)
            #expect(sets.map { $0["spec"]["replicas"].int64Value ?? -1 }.sorted() == [0, 4])
            try await eventually("every answer from v2") {
                for _ in 0..<6 where try await Self.version(node, clusterIP) != "v2" { return false }
                return true
            }
            #expect(try await node.kubectl(["delete", "deployment/notes", "service/notes"]).status == 0)
        }
    }

    /// The notepad version answering on the ClusterIP, from inside the node.
    private static func version(_ node: AgentNode, _ clusterIP: String) async throws -> String? {
        let page = try await node.inNode(["curl", "-sS", "--max-time", "3", "http://\(clusterIP)/"])
        guard page.status == 0 else { return nil }
        return page.stdout.range(of: #"notepad version (v\d)"#, options: .regularExpression).map {
            String(page.stdout[$0].suffix(2))
        }
    }
}
