import APIRules
import Foundation
import SkiffAPI
import StartTrace

extension ResourceHandler {
    func create(_ request: APIRequest, _ scope: Scope) async throws(APIStatus) -> APIReply {
        let object = try BodyDecoder.object(request, resource: scope.resource)
        let created = try await createObject(
            object, scope, fieldValidation: request.parameter("fieldValidation"),
            dryRun: request.parameter("dryRun") == "All")
        return .created(created)
    }

    /// The create path shared by POST and by PUT on kinds that allow create-on-update.
    func createObject(_ input: JSONValue, _ scope: Scope, fieldValidation: String?, dryRun: Bool = false)
        async throws(APIStatus) -> JSONValue
    {
        let resource = scope.resource
        var object = input
        try checkUnknownFields(object, resource, fieldValidation: fieldValidation)
        var meta = object.metadata
        if resource.namespaced {
            let namespace = scope.namespace ?? meta.namespace ?? "default"
            if let given = meta.namespace, !given.isEmpty, given != namespace {
                throw APIStatus.badRequest(
                    "the namespace of the provided object does not match the namespace sent on the request")
            }
            meta.namespace = namespace
            try await requireActiveNamespace(namespace, creating: resource, name: meta.name ?? "")
        } else {
            meta.namespace = nil
        }
        if meta.name?.isEmpty ?? true, let generateName = meta.generateName, !generateName.isEmpty {
            meta.name = ObjectNames.generate(prefix: generateName)
        }
        if meta.resourceVersion?.isEmpty == false {
            throw APIStatus.badRequest("resourceVersion should not be set on objects to be created")
        }
        meta.uid = UUID().uuidString.lowercased()
        meta.creationTimestamp = RFC3339.format(now())
        meta.deletionTimestamp = nil
        meta.json["deletionGracePeriodSeconds"] = .null
        if ResourceTraits.tracksGeneration(resource) { meta.generation = 1 } else { meta.generation = nil }
        object.metadata = meta
        ResourceTraits.resetStatusOnCreate(&object, resource)
        Admission.applyDefaults(&object, resource: resource)
        let errors = Admission.validate(object, old: nil, resource: resource)
        guard errors.isEmpty else {
            throw APIStatus.invalid(resource.groupKind, name: meta.name ?? "", errors: errors)
        }
        if resource.kind == "Service", resource.group.isEmpty {
            return try await services.withAllocation(for: object, previous: nil, dryRun: dryRun) {
                (allocated) async throws(APIStatus) -> JSONValue in
                dryRun ? allocated : try await store.create(resource, allocated)
            }
        }
        if dryRun { return object }
        let created = try await store.create(resource, object)
        if StartTrace.enabled, resource.kind == "Pod", resource.group.isEmpty {
            StartTrace.mark("api.stored", namespace: meta.namespace, name: meta.name)
        }
        return created
    }

    /// `fieldValidation=Strict` (kubectl's default) refuses fields the kind does not
    /// have, with the wording of the real server's strict decoder.
    func checkUnknownFields(_ object: JSONValue, _ resource: ResourceKind, fieldValidation: String?) throws(APIStatus) {
        guard fieldValidation == "Strict" else { return }
        let unknown = Admission.unknownFields(object, resource: resource)
        guard !unknown.isEmpty else { return }
        let list = unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
        throw APIStatus.badRequest(
            "\(resource.kind) in version \"\(resource.version)\" cannot be handled as a \(resource.kind): strict decoding error: \(list)")
    }

    /// New content needs a namespace that exists and is not being deleted.
    func requireActiveNamespace(_ namespace: String, creating resource: ResourceKind, name: String)
        async throws(APIStatus)
    {
        guard let namespaces = registry.resource(group: "", version: "v1", plural: "namespaces") else { return }
        guard let object = try await store.get(namespaces, namespace: nil, name: namespace) else {
            throw APIStatus.notFound(namespaces.groupResource, name: namespace)
        }
        if object.metadata.deletionTimestamp != nil {
            throw APIStatus.forbidden(
                resource.groupResource, name: name,
                reason: "unable to create new content in namespace \(namespace) because it is being terminated")
        }
    }
}

/// Names the server makes up: `generateName` suffixes, as Kubernetes builds them
/// (five characters from an alphabet without vowels or look-alikes).
enum ObjectNames {
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    static func generate(prefix: String) -> String {
        let trimmed = prefix.count > 58 ? String(prefix.prefix(58)) : prefix
        return trimmed + String((0..<5).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }
}
