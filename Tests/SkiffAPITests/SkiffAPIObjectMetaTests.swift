import SkiffAPI
import Testing

@Suite struct SkiffAPIObjectMetaTests {
    @Test func readsTypedFields() throws {
        let object = try JSONValue(jsonString: """
            {"metadata":{"name":"notepad-7d4b9","generateName":"notepad-","namespace":"default","uid":"u-1",\
            "resourceVersion":"42","generation":3,"creationTimestamp":"2026-11-28T01:00:00Z",\
            "labels":{"app":"mytest","pod-template-hash":"7d4b9"},"finalizers":["foregroundDeletion"],\
            "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"notepad-7d4b9","uid":"rs-1",\
            "controller":true,"blockOwnerDeletion":true}],"managedFields":[{"manager":"kubectl"}]}}
            """)
        let meta = object.metadata
        #expect(meta.name == "notepad-7d4b9")
        #expect(meta.generateName == "notepad-")
        #expect(meta.namespace == "default")
        #expect(meta.uid == "u-1")
        #expect(meta.resourceVersion == "42")
        #expect(meta.generation == 3)
        #expect(meta.creationTimestamp == "2026-11-28T01:00:00Z")
        #expect(meta.deletionTimestamp == nil)
        #expect(meta.labels == ["app": "mytest", "pod-template-hash": "7d4b9"])
        #expect(meta.annotations.isEmpty)
        #expect(meta.finalizers == ["foregroundDeletion"])
        #expect(meta.controllerReference?.name == "notepad-7d4b9")
        #expect(meta.controllerReference?.blockOwnerDeletion == true)
    }

    @Test func settersKeepUnknownMembers() throws {
        var object = try JSONValue(jsonString: #"{"kind":"Pod","metadata":{"name":"a","managedFields":[{"manager":"kubectl"}]},"spec":{"x":1}}"#)
        object.metadata.namespace = "default"
        object.metadata.resourceVersion = "7"
        object.metadata.generation = 1
        object.metadata.labels["tier"] = "web"
        object.metadata.annotations = ["note": "kept"]
        object.metadata.ownerReferences = [
            OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "u", controller: true)
        ]
        #expect(object["metadata"]["managedFields"][0]["manager"] == "kubectl")
        #expect(object["spec"]["x"] == 1)
        #expect(object["metadata"]["namespace"] == "default")
        #expect(object["metadata"]["generation"] == .integer(1))
        #expect(object["metadata"]["labels"] == ["tier": "web"])
        #expect(object["metadata"]["ownerReferences"][0]["controller"] == true)
        object.metadata.labels = [:]
        object.metadata.name = nil
        #expect(object["metadata"].objectValue?["labels"] == nil, "an empty map is omitted, as omitempty does")
        #expect(object["metadata"].objectValue?["name"] == nil)
    }

    @Test func readsGroupVersionKind() throws {
        let object = try JSONValue(jsonString: SeedManifests.deployment)
        #expect(object.groupVersionKind == GroupVersionKind(group: "apps", version: "v1", kind: "Deployment"))
        #expect(JSONValue.emptyObject.groupVersionKind == nil)
        #expect(JSONValue.emptyObject.metadata.name == nil)
    }
}
