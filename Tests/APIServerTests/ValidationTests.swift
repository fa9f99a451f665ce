import Foundation
import SkiffAPI
import Testing

/// Bad input gets a Kubernetes Status naming what is wrong, and nothing is stored.
@Suite(.serialized) struct ValidationTests {
    @Test func badRequestsAreRefusedWithoutSideEffects() async throws {
        try await TestServer.with() { server in
            let deployments = "/apis/apps/v1/namespaces/default/deployments"
            let before = try await server.get("/api/v1/namespaces/default/configmaps")
            let startVersion = before.body["metadata"]["resourceVersion"].stringValue

            // Selector that does not match the template: the exact Kubernetes message.
            let mismatch = try await server.post(deployments, [
                "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "notepad"],
                "spec": ["selector": ["matchLabels": ["app": "mytest"]],
                         "template": ["metadata": ["labels": ["app": "other"]],
                                      "spec": ["containers": [["name": "notepad", "image": "x"]]]]],
            ])
            #expect(mismatch.status == 422, "\(mismatch.text)")
            #expect(mismatch.body["reason"] == "Invalid")
            #expect(mismatch.body["message"].stringValue?.hasPrefix("Deployment.apps \"notepad\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`") == true, "\(mismatch.text)")
            #expect((mismatch.body["details"]["causes"].arrayValue ?? []).contains { $0["field"] == "spec.template.metadata.labels" })

            // The seed's mypod.yaml as kubectl sends it: strict decoding names the stray field.
            let pod: JSONValue = [
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "mypod"],
                "spec": ["containers": [["name": "mypod", "image": "mengsixing/notepad"]],
                         "volumeMounts": [["name": "foo", "mountPath": "etc/foo", "readOnly": true]],
                         "volumes": [["name": "foo", "secret": ["secretName": "mysecret"]]]],
            ]
            let strict = try await server.post("/api/v1/namespaces/default/pods", pod, query: [("fieldValidation", "Strict")])
            #expect(strict.status == 400, "\(strict.text)")
            #expect(strict.body["message"].stringValue?.contains("strict decoding error: unknown field \"spec.volumeMounts\"") == true, "\(strict.text)")
            // Moved under the container, the relative mountPath is still refused.
            var moved = pod
            moved["spec"]["volumeMounts"] = .null
            moved["spec"]["containers"] = [[
                "name": "mypod", "image": "mengsixing/notepad",
                "volumeMounts": [["name": "foo", "mountPath": "etc/foo", "readOnly": true]],
            ]]
            let relative = try await server.post("/api/v1/namespaces/default/pods", moved, query: [("fieldValidation", "Strict")])
            #expect(relative.status == 422, "\(relative.text)")
            #expect(relative.text.contains("spec.containers[0].volumeMounts[0].mountPath"), "\(relative.text)")

            let invalidJSON = try await server.request(
                "POST", "/api/v1/namespaces/default/configmaps", body: Array("{\"metadata\": {".utf8), contentType: "application/json")
            #expect(invalidJSON.status == 400 && invalidJSON.body["kind"] == "Status", "\(invalidJSON.text)")

            let wrongVersion = try await server.post(deployments, ["apiVersion": "apps/v2", "kind": "Deployment", "metadata": ["name": "x"]])
            #expect(wrongVersion.status == 400 && wrongVersion.text.contains("apps/v2"), "\(wrongVersion.text)")
            let wrongKind = try await server.post(deployments, ["apiVersion": "apps/v1", "kind": "Frobnicator", "metadata": ["name": "x"]])
            #expect(wrongKind.status == 400, "\(wrongKind.text)")
            let unknownResource = try await server.get("/apis/apps/v1/namespaces/default/frobnicators")
            #expect(unknownResource.status == 404)

            let badName = try await server.post(
                "/api/v1/namespaces/default/configmaps", ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "Bad_Name"]])
            #expect(badName.status == 422 && badName.text.contains("metadata.name: Invalid value: \\\"Bad_Name\\\""), "\(badName.text)")

            let huge = String(repeating: "x", count: 4 * 1024 * 1024)
            let oversized = try await server.post(
                "/api/v1/namespaces/default/configmaps",
                ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "huge"], "data": ["k": .string(huge)]])
            #expect(oversized.status == 413, "\(oversized.status)")

            let badBase64 = try await server.post(
                "/api/v1/namespaces/default/secrets",
                ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "mysecret"], "data": ["username": "admin", "password": "123"]])
            #expect(badBase64.status == 400 || badBase64.status == 422, "\(badBase64.text)")

            let after = try await server.get("/api/v1/namespaces/default/configmaps")
            #expect(after.body["metadata"]["resourceVersion"].stringValue == startVersion, "a refused request wrote something")
            #expect(try await server.get("\(deployments)/notepad").status == 404)
            #expect(try await server.get("/api/v1/namespaces/default/pods/mypod").status == 404)
            #expect(try await server.get("/api/v1/namespaces/default/secrets/mysecret").status == 404)
        }
    }
}
