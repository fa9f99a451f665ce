import Foundation
import SkiffAPI
import Testing

/// Namespaces from the start, namespace deletion cascading to content, and
/// garbage collection through ownerReferences.
@Suite(.serialized) struct NamespaceTests {
    @Test func deletingANamespaceDeletesEverythingInIt() async throws {
        try await TestServer.with(extraArguments: TestServer.apiOnly) { server in
            let names = (try await server.get("/api/v1/namespaces")).body["items"].arrayValue?.compactMap { $0["metadata"]["name"].stringValue }
            #expect(Set(names ?? []).isSuperset(of: ["default", "kube-system", "kube-public"]))

            let protected = try await server.request("DELETE", "/api/v1/namespaces/default")
            #expect(protected.status == 403, "\(protected.text)")

            let missing = try await server.post(
                "/api/v1/namespaces/nowhere/configmaps", ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x"]])
            #expect(missing.status == 404 && missing.body["message"] == "namespaces \"nowhere\" not found")

            #expect(try await server.post("/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]]).status == 201)
            for (collection, object) in SampleObjects.all(namespace: "team") where collection.contains("/namespaces/team/") {
                let created = try await server.post(collection, object)
                #expect(created.status == 201, "\(collection): \(created.text)")
            }
            let deleting = try await server.request("DELETE", "/api/v1/namespaces/team")
            #expect(deleting.status == 200, "\(deleting.text)")
            #expect(deleting.body["status"]["phase"] == "Terminating")
            #expect(deleting.body.metadata.deletionTimestamp != nil)

            var gone = false
            for _ in 0..<100 where !gone {
                gone = try await server.get("/api/v1/namespaces/team").status == 404
                if !gone { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(gone, "namespace still there")
            for (collection, object) in SampleObjects.all(namespace: "team") where collection.contains("/namespaces/team/") {
                let name = object["metadata"]["name"].stringValue ?? ""
                #expect(try await server.get("\(collection)/\(name)").status == 404, "\(collection) survived")
            }
        }
    }

    @Test func ownerReferencesCascade() async throws {
        try await TestServer.with() { server in
            let maps = "/api/v1/namespaces/default/configmaps"
            func owner(_ name: String) async throws -> JSONValue {
                try await server.post(maps, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)]]).body
            }
            func dependent(_ name: String, of owner: JSONValue) async throws {
                let reference: JSONValue = [
                    "apiVersion": "v1", "kind": "ConfigMap", "name": owner["metadata"]["name"], "uid": owner["metadata"]["uid"],
                    "controller": true, "blockOwnerDeletion": true,
                ]
                let reply = try await server.post(maps, ["apiVersion": "v1", "kind": "ConfigMap",
                                                         "metadata": ["name": .string(name), "ownerReferences": [reference]]])
                #expect(reply.status == 201)
            }
            func exists(_ name: String) async throws -> Bool { try await server.get("\(maps)/\(name)").status == 200 }
            func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
                for _ in 0..<100 {
                    if try await condition() { return true }
                    try await Task.sleep(for: .milliseconds(50))
                }
                return false
            }

            // Background: the owner goes at once, its dependents soon after.
            let background = try await owner("bg")
            try await dependent("bg-child", of: background)
            _ = try await server.request("DELETE", "\(maps)/bg", json: ["propagationPolicy": "Background"])
            let backgroundDone = try await eventually { try await !exists("bg-child") }
            #expect(backgroundDone)

            // Orphan: the dependent stays, without the reference.
            let orphan = try await owner("or")
            try await dependent("or-child", of: orphan)
            _ = try await server.request("DELETE", "\(maps)/or", json: ["propagationPolicy": "Orphan"])
            let orphanDone = try await eventually { try await !exists("or") }
            #expect(orphanDone)
            let kept = try await server.get("\(maps)/or-child")
            #expect(kept.status == 200 && kept.body.metadata.ownerReferences.isEmpty)

            // Foreground: the owner waits, marked, until its dependents are gone.
            let foreground = try await owner("fg")
            try await dependent("fg-child", of: foreground)
            let marked = try await server.request("DELETE", "\(maps)/fg", json: ["propagationPolicy": "Foreground"])
            #expect(marked.body.metadata.finalizers.contains("foregroundDeletion"))
            let foregroundDone = try await eventually {
                let owner = try await exists("fg")
                let child = try await exists("fg-child")
                return !owner && !child
            }
            #expect(foregroundDone)
        }
    }
}
