import Foundation
import SkiffAPI
import Testing

/// The statefulset controller against a real node: ordered creation, stable
/// names and claims that outlive their pods, scale-down from the top, and a
/// rolling update.
@Suite struct StatefulSetTests {
    @Test func podsKeepTheirNamesAndVolumesInOrder() async throws {
        try await AgentNode.with { node in
            try await node.apply("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: web}
                spec:
                  serviceName: web
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: app
                        image: busybox
                        command: ["sh", "-c", "hostname > /data/host; sleep 3600"]
                        volumeMounts: [{name: www, mountPath: /data}]
                  volumeClaimTemplates:
                  - metadata: {name: www}
                    spec:
                      accessModes: [ReadWriteOnce]
                      resources: {requests: {storage: 1Gi}}
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  serviceName: db
                  replicas: 2
                  podManagementPolicy: Parallel
                  persistentVolumeClaimRetentionPolicy: {whenScaled: Delete, whenDeleted: Delete}
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: app
                        image: busybox
                        command: ["sleep", "3600"]
                        readinessProbe: {exec: {command: ["false"]}, periodSeconds: 1}
                        volumeMounts: [{name: data, mountPath: /data}]
                  volumeClaimTemplates:
                  - metadata: {name: data}
                    spec:
                      accessModes: [ReadWriteOnce]
                      resources: {requests: {storage: 1Gi}}
                """)
            let rolled = try await node.kubectl(["rollout", "status", "statefulset/web", "--timeout=120s"], timeout: .seconds(130))
            #expect(rolled.status == 0 && rolled.stdout.contains("roll out complete"), "\(rolled.combined)")
            let first = try #require(try await node.pod("web-0"))
            let second = try #require(try await node.pod("web-1"))
            // OrderedReady: web-1 was created only once web-0 was Ready.
            let ready0 = first["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "Ready" }?["lastTransitionTime"]
            let readyAt = try #require(ready0?.stringValue.flatMap(RFC3339.date))
            let created1 = try #require(second.metadata.creationTimestamp.flatMap(RFC3339.date))
            #expect(created1 >= readyAt, "web-1 created \(created1), web-0 ready \(readyAt)")
            let set = try #require(try await node.api.get("/apis/apps/v1/namespaces/default/statefulsets/web"))
            let revision = try #require(set["status"]["updateRevision"].stringValue)
            #expect(revision.hasPrefix("web-") && set["status"]["currentRevision"].stringValue == revision)
            #expect(set["status"]["replicas"].int64Value == 2 && set["status"]["readyReplicas"].int64Value == 2)
            #expect(set["status"]["availableReplicas"].int64Value == 2 && set["status"]["currentReplicas"].int64Value == 2)
            #expect(set["status"]["updatedReplicas"].int64Value == 2)
            #expect(set["status"]["observedGeneration"] == set["metadata"]["generation"])
            for (ordinal, pod) in [first, second].enumerated() {
                let name = "web-\(ordinal)"
                #expect(pod["spec"]["hostname"].stringValue == name && pod["spec"]["subdomain"].stringValue == "web")
                #expect(pod.metadata.labels["statefulset.kubernetes.io/pod-name"] == name)
                #expect(pod.metadata.labels["apps.kubernetes.io/pod-index"] == String(ordinal))
                #expect(pod.metadata.labels["controller-revision-hash"] == revision)
                #expect(pod.metadata.controllerReference?.kind == "StatefulSet" && pod.metadata.controllerReference?.uid == set.metadata.uid)
                let volume = pod["spec"]["volumes"].arrayValue?.first { $0["name"].stringValue == "www" }
                #expect(volume?["persistentVolumeClaim"]["claimName"].stringValue == "www-\(name)")
                let claim = try await node.api.get("/api/v1/namespaces/default/persistentvolumeclaims/www-\(name)")
                #expect(claim?["status"]["phase"].stringValue == "Bound")
                #expect(claim?.metadata.labels["app"] == "web")
            }
            let host = try await node.kubectl(["exec", "web-1", "--", "cat", "/data/host"])
            #expect(host.stdout == "web-1\n", "\(host.combined)")
            let table = try await node.kubectl(["get", "statefulset", "web", "--no-headers"])
            #expect(table.stdout.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first == "2/2", "\(table.combined)")

            // A deleted pod comes back under its name, with its claim and data.
            let wrote = try await node.kubectl(["exec", "web-0", "--", "sh", "-c", "echo kept > /data/note"])
            #expect(wrote.status == 0, "\(wrote.combined)")
            let oldUID = first.metadata.uid
            #expect(try await node.kubectl(["delete", "pod", "web-0", "--wait=true"]).status == 0)
            let back = try await node.waitForPod("web-0", timeout: .seconds(90), "recreated and Ready") {
                $0.metadata.uid != oldUID && $0.phase == "Running" && $0.condition("Ready") == "True"
            }
            #expect(back["spec"]["volumes"].arrayValue?.contains { $0["persistentVolumeClaim"]["claimName"].stringValue == "www-web-0" } == true)
            let note = try await node.kubectl(["exec", "web-0", "--", "cat", "/data/note"])
            #expect(note.stdout == "kept\n", "\(note.combined)")

            // Scale down: web-1 goes, its claim stays.
            #expect(try await node.kubectl(["scale", "statefulset", "web", "--replicas=1"]).status == 0)
            try await eventually("web-1 to be removed", timeout: .seconds(60)) { try await node.pod("web-1") == nil }
            #expect(try await node.api.get("/api/v1/namespaces/default/persistentvolumeclaims/www-web-1") != nil)
            try await eventually("the status to count one replica") {
                let status = try await node.api.get("/apis/apps/v1/namespaces/default/statefulsets/web")?["status"]
                return status?["replicas"].int64Value == 1 && status?["readyReplicas"].int64Value == 1
            }

            // A template change replaces web-0 with the new revision; its data stays.
            let patched = try await node.kubectl([
                "patch", "statefulset", "web", "--type=merge", "-p", #"{"spec":{"template":{"metadata":{"annotations":{"rev":"2"}}}}}"#,
            ])
            #expect(patched.status == 0, "\(patched.combined)")
            try await eventually("web-0 to run the new revision", timeout: .seconds(90)) {
                let set = try await node.api.get("/apis/apps/v1/namespaces/default/statefulsets/web")
                guard let update = set?["status"]["updateRevision"].stringValue, update != revision,
                    set?["status"]["currentRevision"].stringValue == update,
                    let pod = try await node.pod("web-0")
                else { return false }
                return pod.metadata.labels["controller-revision-hash"] == update && pod.condition("Ready") == "True"
                    && pod.metadata.annotations["rev"] == "2"
            }
            // Settled: nothing rewrites the set any more.
            let settled = try await node.api.get("/apis/apps/v1/namespaces/default/statefulsets/web")
            try await Task.sleep(for: .seconds(2))
            let later = try await node.api.get("/apis/apps/v1/namespaces/default/statefulsets/web")
            #expect(later?.metadata.resourceVersion == settled?.metadata.resourceVersion)
            let kept = try await node.kubectl(["exec", "web-0", "--", "cat", "/data/note"])
            #expect(kept.stdout == "kept\n", "\(kept.combined)")

            let events = try await node.events(for: "web").compactMap { $0["message"].stringValue }
            for message in [
                "create Claim www-web-0 Pod web-0 in StatefulSet web success",
                "create Pod web-0 in StatefulSet web successful", "create Pod web-1 in StatefulSet web successful",
                "delete Pod web-1 in StatefulSet web successful", "delete Pod web-0 in StatefulSet web successful",
            ] {
                #expect(events.contains(message), "\(message) not in \(events)")
            }

            // Parallel: db-1 starts although db-0 never gets Ready; scaled down, the pod goes
            // without waiting either, and with `whenScaled: Delete` its claim after it.
            try await eventually("both db pods to run", timeout: .seconds(60)) {
                let pods = try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=app%3Ddb")
                return pods.count == 2 && pods.allSatisfy { $0.phase == "Running" && $0.condition("Ready") == "False" }
            }
            let db = try await node.api.get("/apis/apps/v1/namespaces/default/statefulsets/db")
            #expect(db?["status"]["replicas"].int64Value == 2 && db?["status"]["readyReplicas"].isNull == true)
            let dbClaim = try await node.api.get("/api/v1/namespaces/default/persistentvolumeclaims/data-db-1")
            #expect(dbClaim?.metadata.ownerReferences.first?.uid == db?.metadata.uid)
            #expect(try await node.kubectl(["scale", "statefulset", "db", "--replicas=1"]).status == 0)
            try await eventually("db-1 and its claim to be removed", timeout: .seconds(60)) {
                let pod = try await node.pod("db-1")
                let claim = try await node.api.get("/api/v1/namespaces/default/persistentvolumeclaims/data-db-1")
                return pod == nil && claim == nil
            }
            #expect(try await node.api.get("/api/v1/namespaces/default/persistentvolumeclaims/data-db-0") != nil)
            // `whenDeleted: Delete`: the claim goes with the set.
            #expect(try await node.kubectl(["delete", "statefulset", "db", "--wait=true"]).status == 0)
            try await eventually("db-0 and its claim to go with the set", timeout: .seconds(60)) {
                let pod = try await node.pod("db-0")
                let claim = try await node.api.get("/api/v1/namespaces/default/persistentvolumeclaims/data-db-0")
                return pod == nil && claim == nil
            }

            // Deleting the set deletes its pods but keeps the claims (Retain).
            #expect(try await node.kubectl(["delete", "statefulset", "web", "--wait=true"]).status == 0)
            try await eventually("the pods to go with the set") {
                try await node.api.list("/api/v1/namespaces/default/pods").isEmpty
            }
            let claims = try await node.api.list("/api/v1/namespaces/default/persistentvolumeclaims").compactMap(\.metadata.name)
            #expect(Set(claims) == ["www-web-0", "www-web-1"])
            #expect(try await node.kubectl(["delete", "pvc", "--all", "--wait=true"]).status == 0)
            // The controller never had to log a failure of its own.
            let complaints = node.log.split(separator: "\n").filter { $0.contains("statefulset controller:") }
            #expect(complaints.isEmpty, "\(complaints)")
        }
    }
}
