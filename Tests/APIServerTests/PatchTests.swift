import Foundation
import SkiffAPI
import Testing

/// The three patch types kubectl sends, with the exact bodies it sends.
@Suite(.serialized) struct PatchTests {
    static let deployment: JSONValue = [
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": ["name": "notepad", "annotations": ["note": "one"]],
        "spec": [
            "replicas": 3, "selector": ["matchLabels": ["app": "mytest"]],
            "template": [
                "metadata": ["labels": ["app": "mytest"]],
                "spec": ["containers": [
                    ["name": "notepad", "image": "mengsixing/notepad", "ports": [["containerPort": 8083]],
                     "env": [["name": "A", "value": "1"]]],
                    ["name": "sidecar", "image": "busybox"],
                ]],
            ],
        ],
    ]

    @Test func strategicMergeJSONMergeAndJSONPatch() async throws {
        try await TestServer.with() { server in
            let collection = "/apis/apps/v1/namespaces/default/deployments"
            #expect(try await server.post(collection, Self.deployment).status == 201)
            let path = "\(collection)/notepad"

            // kubectl set image: containers merge by name, order kept, the other container untouched.
            let setImage = try await server.request(
                "PATCH", path, query: [("fieldManager", "kubectl-set")],
                json: ["spec": ["template": ["spec": [
                    "$setElementOrder/containers": [["name": "notepad"], ["name": "sidecar"]],
                    "containers": [["image": "mengsixing/notepad:new", "name": "notepad"]],
                ]]]],
                contentType: "application/strategic-merge-patch+json")
            #expect(setImage.status == 200, "\(setImage.text)")
            let containers = setImage.body["spec"]["template"]["spec"]["containers"]
            #expect(containers[0]["image"] == "mengsixing/notepad:new")
            #expect(containers[0]["env"] == [["name": "A", "value": "1"]])
            #expect(containers[1]["name"] == "sidecar" && containers[1]["image"] == "busybox")
            #expect(!setImage.text.contains("$setElementOrder"))

            // kubectl scale: merge patch on the scale subresource, answered with a Scale.
            let scale = try await server.request(
                "PATCH", "\(path)/scale", json: ["spec": ["replicas": 5]], contentType: "application/merge-patch+json")
            #expect(scale.status == 200, "\(scale.text)")
            #expect(scale.body["kind"] == "Scale" && scale.body["apiVersion"] == "autoscaling/v1")
            #expect(scale.body["spec"]["replicas"] == 5)
            #expect(scale.body["status"]["selector"] == "app=mytest")
            #expect(try await server.get(path).body["spec"]["replicas"] == 5)
            let getScale = try await server.get("\(path)/scale")
            #expect(getScale.body["spec"]["replicas"] == 5)

            // kubectl rollout undo: a JSON patch replacing the template and the annotations.
            var template = Self.deployment["spec"]["template"]
            template["metadata"]["creationTimestamp"] = .null
            let undo = try await server.request(
                "PATCH", path,
                json: [
                    ["op": "replace", "path": "/spec/template", "value": template],
                    ["op": "replace", "path": "/metadata/annotations", "value": ["note": "two"]],
                ],
                contentType: "application/json-patch+json")
            #expect(undo.status == 200, "\(undo.text)")
            #expect(undo.body["spec"]["template"]["spec"]["containers"][0]["image"] == "mengsixing/notepad")
            #expect(undo.body["spec"]["template"]["metadata"]["creationTimestamp"] == .null, "null fields are dropped")
            #expect(undo.body["metadata"]["annotations"] == ["note": "two"])

            // A patch that names a resourceVersion is a compare-and-swap: a stale one loses
            // (others are retried over the controllers' concurrent writes).
            let stale = try await server.request(
                "PATCH", path, json: ["metadata": ["resourceVersion": "1"], "spec": ["replicas": 2]],
                contentType: "application/merge-patch+json")
            #expect(stale.status == 409 && stale.body["reason"] == "Conflict", "\(stale.text)")

            // A failing JSON patch changes nothing and says why.
            let bad = try await server.request(
                "PATCH", path, json: [["op": "replace", "path": "/spec/nothing/here", "value": 1]],
                contentType: "application/json-patch+json")
            #expect(bad.status == 422, "\(bad.text)")
            let unsupported = try await server.request(
                "PATCH", path, body: Array("spec: {}".utf8), contentType: "application/apply-patch+yaml")
            #expect(unsupported.status == 415, "\(unsupported.text)")
            let missing = try await server.request(
                "PATCH", "\(collection)/nope", json: ["spec": ["replicas": 1]], contentType: "application/merge-patch+json")
            #expect(missing.status == 404)
            #expect(missing.body["message"] == "deployments.apps \"nope\" not found")

            // Service ports merge by port (kubectl apply's update patch).
            let createdService = try await server.post("/api/v1/namespaces/default/services", ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "svc"],
                "spec": ["ports": [["name": "http", "port": 80, "targetPort": 8083], ["port": 443, "targetPort": 8443, "name": "tls"]], "selector": ["app": "mytest"]]])
            #expect(createdService.status == 201, "\(createdService.text)")
            let portPatch = try await server.request(
                "PATCH", "/api/v1/namespaces/default/services/svc",
                json: ["spec": ["$setElementOrder/ports": [["port": 80], ["port": 443]], "ports": [["port": 80, "targetPort": 9090]]]],
                contentType: "application/strategic-merge-patch+json")
            #expect(portPatch.status == 200, "\(portPatch.text)")
            #expect(portPatch.body["spec"]["ports"][0]["targetPort"] == 9090)
            #expect(portPatch.body["spec"]["ports"][1]["port"] == 443)
            #expect(portPatch.body["spec"]["clusterIP"] == createdService.body["spec"]["clusterIP"])
        }
    }
}
