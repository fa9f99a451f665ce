import APIRules
import Foundation
import SkiffAPI

/// `DeleteOptions` from the body or the query, as kubectl and client-go send them.
struct DeleteOptions: Sendable {
    enum Propagation: String, Sendable {
        case background = "Background"
        case foreground = "Foreground"
        case orphan = "Orphan"
    }

    var propagation: Propagation?
    var gracePeriodSeconds: Int64?
    var preconditionUID: String?
    var preconditionResourceVersion: String?

    init(_ request: APIRequest) throws(APIStatus) {
        var body: JSONValue = .emptyObject
        if !request.body.isEmpty {
            do {
                body = try JSONValue(jsonBytes: request.body)
            } catch {
                throw APIStatus.badRequest("error decoding DeleteOptions: \(error)")
            }
        }
        let policy = body["propagationPolicy"].stringValue ?? request.parameter("propagationPolicy")
        if let policy {
            guard let parsed = Propagation(rawValue: policy) else {
                throw APIStatus.badRequest(
                    "propagationPolicy: Unsupported value: \"\(policy)\": supported values: \"Background\", \"Foreground\", \"Orphan\"")
            }
            propagation = parsed
        } else if body["orphanDependents"].boolValue == true || request.parameter("orphanDependents") == "true" {
            propagation = .orphan
        }
        gracePeriodSeconds = body["gracePeriodSeconds"].int64Value ?? request.parameter("gracePeriodSeconds").flatMap(Int64.init)
        preconditionUID = body["preconditions"]["uid"].stringValue
        preconditionResourceVersion = body["preconditions"]["resourceVersion"].stringValue
    }
}

extension ResourceHandler {
    static let protectedNamespaces: Set<String> = ["default", "kube-system", "kube-public"]

    func delete(_ request: APIRequest, _ scope: Scope, name: String) async throws(APIStatus) -> APIReply {
        let options = try DeleteOptions(request)
        return .ok(try await deleteObject(scope, name: name, options: options))
    }

    /// Deletes now, or marks the object for deletion when something must happen
    /// first: finalizers, a Foreground/Orphan policy the garbage collector
    /// carries out, a namespace to empty, a pod on a node to stop gracefully.
    func deleteObject(_ scope: Scope, name: String, options: DeleteOptions) async throws(APIStatus) -> JSONValue {
        let resource = scope.resource
        for _ in 1...8 {
            let current = try await store.require(resource, namespace: scope.namespace, name: name)
            let meta = current.metadata
            if let uid = options.preconditionUID, uid != meta.uid {
                throw APIStatus.conflict(
                    resource.groupResource, name: name,
                    detail: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(meta.uid ?? "")")
            }
            if let version = options.preconditionResourceVersion, version != meta.resourceVersion {
                throw APIStatus.conflict(
                    resource.groupResource, name: name,
                    detail: "Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in meta: \(meta.resourceVersion ?? "")")
            }
            guard let revision = meta.resourceVersion.flatMap(Int64.init).map(StorageRevision.init) else {
                throw APIStatus.internalError("stored object has no resourceVersion")
            }
            if resource.plural == "namespaces", resource.group.isEmpty, Self.protectedNamespaces.contains(name) {
                throw APIStatus.forbidden(resource.groupResource, name: name, reason: "this namespace may not be deleted")
            }
            var finalizers = meta.finalizers
            switch options.propagation {
            case .foreground?: if !finalizers.contains("foregroundDeletion") { finalizers.append("foregroundDeletion") }
            case .orphan?: if !finalizers.contains("orphan") { finalizers.append("orphan") }
            default: break
            }
            let graceful = gracePeriod(resource, current, options)
            let isNamespace = resource.plural == "namespaces" && resource.group.isEmpty
            if finalizers.isEmpty && graceful == nil && !isNamespace {
                do {
                    let deleted = try await store.delete(resource, namespace: meta.namespace, name: name, expected: revision)
                    if resource.kind == "Service", resource.group.isEmpty { await services.released(deleted) }
                    return deleted
                } catch where error.reason == .conflict {
                    continue
                }
            }
            if meta.deletionTimestamp != nil && finalizers == meta.finalizers {
                return current  // already being deleted; nothing new to record
            }
            var marked = current
            marked.metadata.finalizers = finalizers
            if marked.metadata.deletionTimestamp == nil {
                let grace = graceful ?? 0
                marked.metadata.deletionTimestamp = RFC3339.format(now().addingTimeInterval(TimeInterval(grace)))
                marked.metadata.json["deletionGracePeriodSeconds"] = .integer(grace)
            }
            if isNamespace { marked["status"]["phase"] = "Terminating" }
            do {
                return try await store.update(resource, marked, expected: revision)
            } catch where error.reason == .conflict {
                continue
            }
        }
        throw APIStatus.conflict(resource.groupResource, name: name)
    }

    /// Pods bound to a node get their grace period (the node agent stops them and
    /// deletes with grace 0); everything else, and unbound pods, go at once.
    private func gracePeriod(_ resource: ResourceKind, _ object: JSONValue, _ options: DeleteOptions) -> Int64? {
        guard resource.plural == "pods", resource.group.isEmpty else { return nil }
        guard let node = object["spec"]["nodeName"].stringValue, !node.isEmpty else { return nil }
        let phase = object["status"]["phase"].stringValue
        if phase == "Succeeded" || phase == "Failed" { return nil }
        let grace = options.gracePeriodSeconds ?? object["spec"]["terminationGracePeriodSeconds"].int64Value ?? 30
        return grace > 0 ? grace : nil
    }

    /// DELETE on a collection: every object the selectors match, one by one.
    func deleteCollection(_ request: APIRequest, _ scope: Scope) async throws(APIStatus) -> APIReply {
        let options = try DeleteOptions(request)
        let selectors = try Selectors(request, resource: scope.resource)
        let page = try await store.list(scope.resource, namespace: scope.namespace, limit: nil, continueAfter: nil, atRevision: nil)
        var deleted: [JSONValue] = []
        for (_, object) in page.objects where selectors.matches(object, scope.resource) {
            guard let name = object.metadata.name else { continue }
            let itemScope = Scope(resource: scope.resource, namespace: object.metadata.namespace)
            do {
                deleted.append(try await deleteObject(itemScope, name: name, options: options))
            } catch where error.reason == .notFound {
                continue
            }
        }
        return .ok([
            "kind": .string(scope.resource.kind + "List"), "apiVersion": .string(scope.resource.apiVersion),
            "metadata": ["resourceVersion": .string(page.revision.description)], "items": .array(deleted),
        ])
    }
}
