import Foundation
import SkiffAPI

/// What every in-server controller does with the store, in one place: list a
/// kind, write an object's spec or status through the same validation and
/// compare-and-swap as a client's PUT, create a dependent with a controller
/// reference, and record an Event. Controllers are level-triggered: a write
/// lost to a conflict is not an error, the next pass sees the new state and
/// decides again.
struct ControllerAccess: Sendable {
    let handler: ResourceHandler
    /// `source.component` of the Events this controller writes
    /// (`deployment-controller`, `replicaset-controller`, …).
    let component: String

    /// The kind registered under `group`/`plural` (v1 of every built-in group).
    func resource(_ group: String, _ plural: String) -> ResourceKind? {
        handler.registry.resource(group: group, version: "v1", plural: plural)
    }

    var pods: ResourceKind? { resource("", "pods") }

    /// Every object of `resource` (in `namespace`, or all), with the store
    /// revision the list was read at (to wait for the next change after it).
    func list(_ resource: ResourceKind, namespace: String? = nil) async throws(APIStatus)
        -> (objects: [JSONValue], revision: StorageRevision)
    {
        let page = try await handler.store.list(
            resource, namespace: namespace, limit: nil, continueAfter: nil, atRevision: nil)
        return (page.objects.map(\.object), page.revision)
    }

    /// Writes `next` as the new spec and metadata of `current` (status kept),
    /// validated and defaulted as a client's PUT is; `metadata.generation`
    /// moves when the spec changed. nil when `current` changed or went away
    /// meanwhile: the caller's next pass decides again.
    @discardableResult
    func write(_ resource: ResourceKind, current: JSONValue, next: JSONValue) async throws(APIStatus) -> JSONValue? {
        try await commit(resource, current: current, next: next, subresource: nil)
    }

    /// Writes `next["status"]` over `current` (the `status` subresource).
    @discardableResult
    func writeStatus(_ resource: ResourceKind, current: JSONValue, next: JSONValue) async throws(APIStatus) -> JSONValue? {
        try await commit(resource, current: current, next: next, subresource: "status")
    }

    private func commit(_ resource: ResourceKind, current: JSONValue, next: JSONValue, subresource: String?)
        async throws(APIStatus) -> JSONValue?
    {
        let scope = Scope(resource: resource, namespace: current.metadata.namespace)
        do {
            return try await handler.commitUpdate(scope, current: current, proposed: next, subresource: subresource)
        } catch where error.code == 409 || error.code == 404 {
            return nil
        }
    }

    /// Creates `object` through the create path (defaults, validation, name
    /// generation, namespace checks). nil when the name is taken or the
    /// namespace is being deleted: nothing a retry on the next pass would not
    /// see.
    @discardableResult
    func create(_ resource: ResourceKind, _ object: JSONValue, namespace: String?) async throws(APIStatus) -> JSONValue? {
        do {
            return try await handler.createObject(
                object, Scope(resource: resource, namespace: namespace), fieldValidation: nil)
        } catch where error.code == 409 || (error.code == 403 && error.reason == .forbidden) {
            return nil
        }
    }

    /// Deletes `name` in the background (dependents collected by the garbage
    /// collector), with the object's own grace period when `gracePeriod` is
    /// nil. Already gone counts as done.
    func delete(_ resource: ResourceKind, namespace: String?, name: String, uid: String? = nil, gracePeriod: Int64? = nil)
        async throws(APIStatus)
    {
        var options = DeleteOptions.background
        options.gracePeriodSeconds = gracePeriod
        options.preconditionUID = uid
        do {
            _ = try await handler.deleteObject(Scope(resource: resource, namespace: namespace), name: name, options: options)
        } catch where error.code == 404 || error.code == 409 {
            return
        }
    }

    /// A Pod from `template` (`spec.template` of a workload), owned by
    /// `owner` as its controller, named `name` or generated from
    /// `generateName`; `labels` and `annotations` are added to the
    /// template's.
    func createPod(
        from template: JSONValue, owner: JSONValue, namespace: String, name: String? = nil, generateName: String? = nil,
        labels: [String: String] = [:], annotations: [String: String] = [:], mutate: (inout JSONValue) -> Void = { _ in }
    ) async throws(APIStatus) -> JSONValue? {
        guard let pods else { return nil }
        var pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": [:], "spec": template["spec"]]
        var meta = template["metadata"]
        meta["creationTimestamp"] = .null
        for (key, value) in labels { meta["labels"][key] = .string(value) }
        for (key, value) in annotations { meta["annotations"][key] = .string(value) }
        if let name { meta["name"] = .string(name) }
        if let generateName { meta["generateName"] = .string(generateName) }
        meta["namespace"] = .string(namespace)
        meta["ownerReferences"] = [Self.controllerReference(to: owner)]
        pod["metadata"] = meta.removingNullFields()
        mutate(&pod)
        return try await create(pods, pod, namespace: namespace)
    }

    /// The ownerReference a controller puts on what it creates: `controller`
    /// and `blockOwnerDeletion` set, so foreground deletion waits for it and
    /// `rollout history` finds it.
    static func controllerReference(to owner: JSONValue) -> JSONValue {
        OwnerReference(
            apiVersion: owner["apiVersion"].stringValue ?? "", kind: owner["kind"].stringValue ?? "",
            name: owner.metadata.name ?? "", uid: owner.metadata.uid ?? "", controller: true, blockOwnerDeletion: true
        ).json
    }

    /// Records an Event about `object`, as kube-controller-manager's
    /// recorders do. A repeat of the same reason and message on the same
    /// object is folded into the first one (`count`, `lastTimestamp`), so a
    /// controller that retries does not flood `kubectl describe`.
    func event(_ object: JSONValue, type: String = "Normal", reason: String, message: String) async {
        guard let events = resource("", "events"), let name = object.metadata.name else { return }
        let namespace = object.metadata.namespace ?? "default"
        let stamp = RFC3339.format(handler.now())
        let eventName = "\(name).\(Self.fold(object.metadata.uid ?? name, reason, message))"
        do {
            if let existing = try await handler.store.get(events, namespace: namespace, name: eventName) {
                var next = existing
                next["count"] = .integer((existing["count"].int64Value ?? 1) + 1)
                next["lastTimestamp"] = .string(stamp)
                _ = try await write(events, current: existing, next: next)
                return
            }
            let involved: JSONValue = [
                "kind": object["kind"], "apiVersion": object["apiVersion"], "namespace": .string(namespace),
                "name": .string(name), "uid": .string(object.metadata.uid ?? ""),
                "resourceVersion": .string(object.metadata.resourceVersion ?? ""),
            ]
            let event: JSONValue = [
                "apiVersion": "v1", "kind": "Event",
                "metadata": ["name": .string(eventName), "namespace": .string(namespace)],
                "involvedObject": involved, "reason": .string(reason), "message": .string(message),
                "type": .string(type), "source": ["component": .string(component)],
                "reportingComponent": .string(component), "firstTimestamp": .string(stamp),
                "lastTimestamp": .string(stamp), "count": 1,
            ]
            _ = try await create(events, event, namespace: namespace)
        } catch {
            // Events are best effort, as in Kubernetes: losing one never fails the sync.
        }
    }

    /// A stable 16-hex-digit name part for (object, reason, message): FNV-1a.
    private static func fold(_ parts: String...) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.joined(separator: "\u{0}").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
