import SkiffAPI

/// ReplicaSets as the Deployment controller (a later issue) writes them: named
/// `<deploy>-<hash>`, owned through a controller reference, with the revision
/// annotation. Enough for `rollout history` and `rollout undo` to have
/// something real to read.
enum RolloutFixtures {
    static func replicaSet(for deployment: JSONValue, hash: String, revision: Int, image: String) -> JSONValue {
        var template = deployment["spec"]["template"]
        template["metadata"]["labels"]["pod-template-hash"] = .string(hash)
        template["spec"]["containers"] = [["name": "notepad", "image": .string(image), "ports": [["containerPort": 8083]]]]
        var selector = deployment["spec"]["selector"]
        selector["matchLabels"]["pod-template-hash"] = .string(hash)
        let owner: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "name": deployment["metadata"]["name"],
            "uid": deployment["metadata"]["uid"], "controller": true, "blockOwnerDeletion": true,
        ]
        return [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": [
                "name": .string("notepad-\(hash)"),
                "labels": ["app": "mytest", "pod-template-hash": .string(hash)],
                "annotations": ["deployment.kubernetes.io/revision": .string(String(revision))],
                "ownerReferences": [owner],
            ],
            "spec": ["replicas": 0, "selector": selector, "template": template],
        ]
    }
}
