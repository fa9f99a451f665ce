import APIRules
import Foundation
import SkiffAPI

extension ResourceHandler {
    /// `autoscaling/v1 Scale` of a Deployment, ReplicaSet or StatefulSet: what
    /// `kubectl scale` patches, read from and written to the parent's `spec.replicas`.
    func scale(_ scope: Scope, name: String) async throws(APIStatus) -> JSONValue {
        let parent = try await store.require(scope.resource, namespace: scope.namespace, name: name)
        return Self.scaleObject(of: parent)
    }

    static func scaleObject(of parent: JSONValue) -> JSONValue {
        let meta = parent.metadata
        var metadata: JSONValue = .emptyObject
        metadata["name"] = meta.name.map(JSONValue.string) ?? .null
        metadata["namespace"] = meta.namespace.map(JSONValue.string) ?? .null
        metadata["uid"] = meta.uid.map(JSONValue.string) ?? .null
        metadata["resourceVersion"] = meta.resourceVersion.map(JSONValue.string) ?? .null
        metadata["creationTimestamp"] = meta.creationTimestamp.map(JSONValue.string) ?? .null
        var selector = ""
        if let parsed = try? LabelSelector(json: parent["spec"]["selector"]) { selector = parsed.description }
        var status: JSONValue = ["replicas": .integer(parent["status"]["replicas"].int64Value ?? 0)]
        if !selector.isEmpty { status["selector"] = .string(selector) }
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": metadata,
            "spec": ["replicas": .integer(parent["spec"]["replicas"].int64Value ?? 0)], "status": status,
        ]
    }

    func updateScale(_ request: APIRequest, _ scope: Scope, name: String) async throws(APIStatus) -> JSONValue {
        let resource = scope.resource
        for _ in 1...8 {
            let parent = try await store.require(resource, namespace: scope.namespace, name: name)
            let current = Self.scaleObject(of: parent)
            let desired: JSONValue
            if request.method == "PUT" {
                do {
                    desired = try JSONValue(jsonBytes: request.body)
                } catch {
                    throw APIStatus.badRequest("Scale in version \"v1\" cannot be handled as a Scale: \(error)")
                }
                if let version = desired.metadata.resourceVersion, !version.isEmpty, version != parent.metadata.resourceVersion {
                    throw APIStatus.conflict(resource.groupResource, name: name)
                }
            } else {
                desired = try applyPatch(parsePatch(request), mediaType: request.mediaType, to: current, resource: resource)
            }
            guard let replicas = desired["spec"]["replicas"].int64Value else {
                throw APIStatus.invalid(
                    GroupKind(group: "autoscaling", kind: "Scale"), name: name,
                    errors: [.required("spec.replicas")])
            }
            guard replicas >= 0 else {
                throw APIStatus.invalid(
                    GroupKind(group: "autoscaling", kind: "Scale"), name: name,
                    errors: [.invalid("spec.replicas", .integer(replicas), "must be greater than or equal to 0")])
            }
            var next = parent
            next["spec"]["replicas"] = .integer(replicas)
            do {
                return Self.scaleObject(of: try await commitUpdate(scope, current: parent, proposed: next, subresource: nil))
            } catch where error.reason == .conflict && request.method != "PUT" {
                continue
            }
        }
        throw APIStatus.conflict(resource.groupResource, name: name)
    }

    /// `pods/binding`: the scheduler's way to set `spec.nodeName`, once.
    func bind(_ request: APIRequest, _ scope: Scope, name: String) async throws(APIStatus) -> APIReply {
        let binding: JSONValue
        do {
            binding = try JSONValue(jsonBytes: request.body)
        } catch {
            throw APIStatus.badRequest("Binding in version \"v1\" cannot be handled as a Binding: \(error)")
        }
        guard let node = binding["target"]["name"].stringValue, !node.isEmpty else {
            throw APIStatus.invalid(GroupKind(group: "", kind: "Binding"), name: name, errors: [.required("target.name")])
        }
        let pod = try await store.require(scope.resource, namespace: scope.namespace, name: name)
        if let bound = pod["spec"]["nodeName"].stringValue, !bound.isEmpty {
            throw APIStatus.conflict(
                scope.resource.groupResource, name: name, detail: "pod \(name) is already assigned to node \"\(bound)\"")
        }
        var next = pod
        next["spec"]["nodeName"] = .string(node)
        var conditions = next["status"]["conditions"].arrayValue ?? []
        conditions.removeAll { $0["type"].stringValue == "PodScheduled" }
        conditions.append([
            "type": "PodScheduled", "status": "True", "lastProbeTime": .null,
            "lastTransitionTime": .string(RFC3339.format(now())),
        ])
        next["status"]["conditions"] = .array(conditions)
        guard let revision = pod.metadata.resourceVersion.flatMap(Int64.init) else {
            throw APIStatus.internalError("stored object has no resourceVersion")
        }
        _ = try await store.update(scope.resource, next.removingNullFields(), expected: StorageRevision(revision))
        return .created(["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success", "code": 201])
    }
}
