import APIRules
import Foundation
import SkiffAPI

extension ResourceHandler {
    /// PUT: replace the object, guarded by the resourceVersion the client read.
    func update(_ request: APIRequest, _ scope: Scope, name: String, subresource: String? = nil)
        async throws(APIStatus) -> APIReply
    {
        let resource = scope.resource
        var proposed = try BodyDecoder.object(request, resource: resource)
        let bodyName = proposed.metadata.name ?? ""
        if bodyName.isEmpty {
            proposed.metadata.name = name
        } else if bodyName != name {
            throw APIStatus.badRequest(
                "the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        if resource.namespaced, let namespace = scope.namespace {
            if let given = proposed.metadata.namespace, !given.isEmpty, given != namespace {
                throw APIStatus.badRequest(
                    "the namespace of the provided object does not match the namespace sent on the request")
            }
            proposed.metadata.namespace = namespace
        }
        let fieldValidation = request.parameter("fieldValidation")
        guard let current = try await store.get(resource, namespace: scope.namespace, name: name) else {
            if ResourceTraits.allowsCreateOnUpdate(resource), subresource == nil {
                proposed.metadata.resourceVersion = nil
                return .created(try await createObject(proposed, scope, fieldValidation: fieldValidation))
            }
            throw APIStatus.notFound(resource.groupResource, name: name)
        }
        try checkUnknownFields(proposed, resource, fieldValidation: fieldValidation)
        if let version = proposed.metadata.resourceVersion, !version.isEmpty,
            version != current.metadata.resourceVersion
        {
            throw APIStatus.conflict(resource.groupResource, name: name)
        }
        return .ok(try await commitUpdate(scope, current: current, proposed: proposed, subresource: subresource))
    }

    /// Validates `proposed` as the next state of `current` and stores it with a
    /// compare-and-swap on `current`'s revision. Metadata the server owns is
    /// kept; a no-op write returns `current` without a new resourceVersion.
    func commitUpdate(_ scope: Scope, current: JSONValue, proposed: JSONValue, subresource: String?)
        async throws(APIStatus) -> JSONValue
    {
        let resource = scope.resource
        var next: JSONValue
        switch subresource {
        case "status":
            next = current
            next["status"] = proposed["status"]
        case "finalize":
            next = current
            next["spec"]["finalizers"] = proposed["spec"]["finalizers"]
        default:
            next = proposed
            if ResourceTraits.hasStatusSubresource(resource) { next["status"] = current["status"] }
        }
        next["apiVersion"] = .string(resource.apiVersion)
        next["kind"] = .string(resource.kind)
        let old = current.metadata
        var meta = next.metadata
        meta.uid = old.uid
        meta.creationTimestamp = old.creationTimestamp
        meta.namespace = old.namespace
        meta.name = old.name
        meta.generation = old.generation
        meta.resourceVersion = old.resourceVersion
        if old.deletionTimestamp != nil {
            meta.deletionTimestamp = old.deletionTimestamp
            meta.json["deletionGracePeriodSeconds"] = old.json["deletionGracePeriodSeconds"]
        } else {
            meta.deletionTimestamp = nil
            meta.json["deletionGracePeriodSeconds"] = .null
        }
        next.metadata = meta
        next = next.removingNullFields()
        Admission.applyDefaults(&next, resource: resource)
        if ResourceTraits.tracksGeneration(resource),
            ResourceTraits.specPart(next) != ResourceTraits.specPart(current)
        {
            next.metadata.generation = (old.generation ?? 0) + 1
        }
        let errors = Admission.validate(next, old: current, resource: resource)
        guard errors.isEmpty else {
            throw APIStatus.invalid(resource.groupKind, name: old.name ?? "", errors: errors)
        }
        guard let revision = current.metadata.resourceVersion.flatMap(Int64.init) else {
            throw APIStatus.internalError("stored object has no resourceVersion")
        }
        // Finalizers all gone on an object being deleted: the delete completes now.
        if meta.deletionTimestamp != nil, next.metadata.finalizers.isEmpty,
            !(resource.plural == "namespaces" && !(next["spec"]["finalizers"].arrayValue ?? []).isEmpty)
        {
            return try await store.delete(
                resource, namespace: old.namespace, name: old.name ?? "", expected: StorageRevision(revision))
        }
        if next == current { return current }
        let expected = StorageRevision(revision)
        if resource.kind == "Service", resource.group.isEmpty {
            return try await services.withAllocation(for: next, previous: current, dryRun: false) {
                (allocated) async throws(APIStatus) -> JSONValue in
                allocated == current ? current : try await store.update(resource, allocated, expected: expected)
            }
        }
        return try await store.update(resource, next, expected: expected)
    }
}
