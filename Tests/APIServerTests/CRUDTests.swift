import Foundation
import SkiffAPI
import Testing

/// Create, read, list, update, conflict and delete for every resource, over HTTPS.
@Suite(.serialized) struct CRUDTests {
    @Test func everyResourceSupportsTheStandardVerbs() async throws {
        try await TestServer.with(extraArguments: TestServer.apiOnly) { server in
            var lastVersion: Int64 = 0
            for (collection, object) in SampleObjects.all(namespace: "default") {
                let name = object["metadata"]["name"].stringValue ?? ""
                let created = try await server.post(collection, object)
                #expect(created.status == 201, "\(collection): \(created.text)")
                let meta = created.body.metadata
                #expect(meta.uid?.count == 36, "\(collection)")
                #expect(meta.creationTimestamp?.hasSuffix("Z") == true, "\(collection)")
                let version = Int64(meta.resourceVersion ?? "") ?? 0
                #expect(version > lastVersion, "resourceVersion must increase: \(collection)")
                lastVersion = version

                let again = try await server.post(collection, object)
                #expect(again.status == 409 && again.body["reason"] == "AlreadyExists", "\(collection): \(again.text)")

                let fetched = try await server.get("\(collection)/\(name)")
                #expect(fetched.status == 200 && fetched.body == created.body, "\(collection)")

                let listed = try await server.get(collection)
                #expect(listed.body["kind"].stringValue?.hasSuffix("List") == true)
                #expect((listed.body["items"].arrayValue ?? []).contains { $0["metadata"]["name"].stringValue == name }, "\(collection)")
                #expect(Int64(listed.body["metadata"]["resourceVersion"].stringValue ?? "") ?? 0 >= version)

                var changed = created.body
                changed["metadata"]["labels"] = ["changed": "yes"]
                let updated = try await server.request("PUT", "\(collection)/\(name)", json: changed)
                #expect(updated.status == 200, "\(collection): \(updated.text)")
                #expect(updated.body["metadata"]["labels"]["changed"] == "yes")
                #expect(updated.body.metadata.uid == meta.uid)
                let newVersion = Int64(updated.body.metadata.resourceVersion ?? "") ?? 0
                #expect(newVersion > version, "\(collection)")
                lastVersion = newVersion

                // The same write with the old resourceVersion loses.
                let stale = try await server.request("PUT", "\(collection)/\(name)", json: changed)
                #expect(stale.status == 409 && stale.body["reason"] == "Conflict", "\(collection): \(stale.text)")

                if collection.hasSuffix("/namespaces") { continue }  // namespace deletion has its own test
                let deleted = try await server.request("DELETE", "\(collection)/\(name)")
                #expect(deleted.status == 200, "\(collection): \(deleted.text)")
                let gone = try await server.get("\(collection)/\(name)")
                #expect(gone.status == 404 && gone.body["reason"] == "NotFound", "\(collection): \(gone.text)")
                lastVersion = max(lastVersion, Int64(deleted.body.metadata.resourceVersion ?? "") ?? 0)
            }
        }
    }

    @Test func serverSetsWhatItOwns() async throws {
        try await TestServer.with(extraArguments: TestServer.apiOnly) { server in
            let deployment = try await server.post(
                "/apis/apps/v1/namespaces/default/deployments",
                ["apiVersion": "apps/v1", "kind": "Deployment",
                 "metadata": ["generateName": "web-", "annotations": ["kubectl.kubernetes.io/last-applied-configuration": "{\"x\":1}\n"]],
                 "spec": ["selector": ["matchLabels": ["app": "web"]],
                          "template": ["metadata": ["labels": ["app": "web"]],
                                       "spec": ["containers": [["name": "web", "image": "nginx"]]]]],
                 "status": ["replicas": 7]])
            #expect(deployment.status == 201, "\(deployment.text)")
            let meta = deployment.body.metadata
            #expect(meta.name?.hasPrefix("web-") == true && meta.name?.count == 9)
            #expect(meta.namespace == "default")
            #expect(meta.generation == 1)
            #expect(meta.annotations["kubectl.kubernetes.io/last-applied-configuration"] == "{\"x\":1}\n")
            #expect(deployment.body["status"] == .emptyObject, "clients cannot create status")
            #expect(deployment.body["spec"]["replicas"] == 1)
            #expect(deployment.body["spec"]["strategy"]["type"] == "RollingUpdate")

            // A spec change bumps generation; a label change does not.
            let path = "/apis/apps/v1/namespaces/default/deployments/\(meta.name ?? "")"
            let relabeled = try await server.request(
                "PATCH", path, json: ["metadata": ["labels": ["tier": "front"]]], contentType: "application/merge-patch+json")
            #expect(relabeled.body.metadata.generation == 1)
            let scaled = try await server.request(
                "PATCH", path, json: ["spec": ["replicas": 3]], contentType: "application/merge-patch+json")
            #expect(scaled.body.metadata.generation == 2)
            // An identical write is a no-op: same resourceVersion.
            let same = try await server.request(
                "PATCH", path, json: ["spec": ["replicas": 3]], contentType: "application/merge-patch+json")
            #expect(same.body.metadata.resourceVersion == scaled.body.metadata.resourceVersion)

            // Status goes through /status only.
            var withStatus = scaled.body
            withStatus["status"] = ["replicas": 3, "observedGeneration": 2]
            let mainWrite = try await server.request("PUT", path, json: withStatus)
            #expect(mainWrite.body["status"] == .emptyObject)
            withStatus.metadata.resourceVersion = mainWrite.body.metadata.resourceVersion
            let statusWrite = try await server.request("PUT", path + "/status", json: withStatus)
            #expect(statusWrite.status == 200, "\(statusWrite.text)")
            #expect(statusWrite.body["status"]["observedGeneration"] == 2)
            #expect(statusWrite.body.metadata.generation == 2)

            // A Service gets a cluster IP from the service range and its node port.
            let service = try await server.post(
                "/api/v1/namespaces/default/services",
                ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"],
                 "spec": ["type": "NodePort", "selector": ["app": "web"], "ports": [["port": 80, "targetPort": 8083, "nodePort": 30036]]]])
            #expect(service.status == 201, "\(service.text)")
            #expect(service.body["spec"]["clusterIP"].stringValue?.hasPrefix("10.43.") == true)
            #expect(service.body["spec"]["ports"][0]["nodePort"] == 30036)
            #expect(service.body["spec"]["ports"][0]["protocol"] == "TCP")
            let clash = try await server.post(
                "/api/v1/namespaces/default/services",
                ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web2"],
                 "spec": ["type": "NodePort", "ports": [["port": 80, "nodePort": 30036]]]])
            #expect(clash.status == 422, "\(clash.text)")
            #expect(clash.body["message"].stringValue?.contains("provided port is already allocated") == true)
            #expect(try await server.get("/api/v1/namespaces/default/services/web2").status == 404)

            // The built-in kubernetes Service holds the first address.
            let kubernetes = try await server.get("/api/v1/namespaces/default/services/kubernetes")
            #expect(kubernetes.body["spec"]["clusterIP"] == "10.43.0.1")
        }
    }
}
