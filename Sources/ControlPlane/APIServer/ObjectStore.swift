import Foundation
import SkiffAPI

/// Kubernetes objects on top of the byte-oriented `StorageBackend`: where each
/// object's key lives, and the one rule that makes `resourceVersion` honest —
/// it is never stored inside the value but stamped on every read from the
/// key's modRevision, as the real API server does with etcd.
struct ObjectStore: Sendable {
    let backend: any StorageBackend

    /// `/registry/core/pods/default/web`, `/registry/apps/deployments/default/notepad`,
    /// `/registry/core/namespaces/default`.
    static func key(_ resource: ResourceKind, namespace: String?, name: String) -> String {
        prefix(resource, namespace: namespace) + name
    }

    /// Everything of a resource (namespace nil) or of one namespace, ending in `/`.
    static func prefix(_ resource: ResourceKind, namespace: String?) -> String {
        let group = resource.group.isEmpty ? "core" : resource.group
        var prefix = "/registry/\(group)/\(resource.plural)/"
        if resource.namespaced, let namespace { prefix += namespace + "/" }
        return prefix
    }

    func get(_ resource: ResourceKind, namespace: String?, name: String) async throws(APIStatus) -> JSONValue? {
        let stored: StoredObject?
        do {
            stored = try await backend.get(Self.key(resource, namespace: namespace, name: name))
        } catch {
            throw Self.status(error, resource: resource, name: name)
        }
        guard let stored else { return nil }
        return try Self.decode(stored.value, revision: stored.modRevision, key: Self.key(resource, namespace: namespace, name: name))
    }

    /// The object or 404 NotFound.
    func require(_ resource: ResourceKind, namespace: String?, name: String) async throws(APIStatus) -> JSONValue {
        guard let object = try await get(resource, namespace: namespace, name: name) else {
            throw APIStatus.notFound(resource.groupResource, name: name)
        }
        return object
    }

    /// Stores a new object; returns it with its resourceVersion.
    func create(_ resource: ResourceKind, _ object: JSONValue) async throws(APIStatus) -> JSONValue {
        let meta = object.metadata
        let name = meta.name ?? ""
        let bytes = Self.encode(object)
        do {
            let revision = try await backend.create(
                Self.key(resource, namespace: meta.namespace, name: name), value: Data(bytes))
            var created = object
            created.metadata.resourceVersion = revision.description
            return created
        } catch {
            throw Self.status(error, resource: resource, name: name)
        }
    }

    /// Compare-and-swap on the revision the caller read (`expected`).
    func update(_ resource: ResourceKind, _ object: JSONValue, expected: StorageRevision) async throws(APIStatus)
        -> JSONValue
    {
        let meta = object.metadata
        let name = meta.name ?? ""
        do {
            let revision = try await backend.update(
                Self.key(resource, namespace: meta.namespace, name: name), value: Data(Self.encode(object)),
                expectedRevision: expected)
            var updated = object
            updated.metadata.resourceVersion = revision.description
            return updated
        } catch {
            throw Self.status(error, resource: resource, name: name)
        }
    }

    /// Removes the object if it is still at `expected`; returns it as it was.
    func delete(_ resource: ResourceKind, namespace: String?, name: String, expected: StorageRevision?)
        async throws(APIStatus) -> JSONValue
    {
        let deletion: StorageDeletion
        do {
            deletion = try await backend.delete(
                Self.key(resource, namespace: namespace, name: name), expectedRevision: expected)
        } catch {
            throw Self.status(error, resource: resource, name: name)
        }
        return try Self.decode(deletion.deleted.value, revision: deletion.deleted.modRevision)
    }

    func list(
        _ resource: ResourceKind, namespace: String?, limit: Int?, continueAfter: String?,
        atRevision: StorageRevision?
    ) async throws(APIStatus) -> (objects: [(key: String, object: JSONValue)], revision: StorageRevision, hasMore: Bool)
    {
        let result: StorageListResult
        do {
            result = try await backend.list(
                prefix: Self.prefix(resource, namespace: namespace), limit: limit, continueAfter: continueAfter,
                atRevision: atRevision)
        } catch {
            throw Self.status(error, resource: resource, name: "")
        }
        var objects: [(key: String, object: JSONValue)] = []
        objects.reserveCapacity(result.items.count)
        for item in result.items {
            objects.append((item.key, try Self.decode(item.value, revision: item.modRevision, key: item.key)))
        }
        return (objects, result.revision, result.hasMore)
    }

    func currentRevision() async throws(APIStatus) -> StorageRevision {
        do {
            return try await backend.currentRevision()
        } catch {
            throw Self.status(error, resource: nil, name: "")
        }
    }

    static func encode(_ object: JSONValue) -> [UInt8] {
        var stored = object
        stored.metadata.resourceVersion = nil
        return stored.serializedBytes()
    }

    /// `decode(_:revision:)` through `ParsedObjects`: the object stored under
    /// `key`, parsed only if these bytes were not the last parsed for it.
    static func decode(_ bytes: Data, revision: StorageRevision, key: String) throws(APIStatus) -> JSONValue {
        var object = try ParsedObjects.shared.object(key: key, bytes: bytes) { (bytes) throws(APIStatus) in
            try decode(bytes, revision: revision)
        }
        object.metadata.resourceVersion = revision.description
        return object
    }

    static func decode(_ bytes: Data, revision: StorageRevision) throws(APIStatus) -> JSONValue {
        var object: JSONValue
        do {
            object = try JSONValue(jsonData: bytes)
        } catch {
            throw APIStatus.internalError("stored object does not parse: \(error)")
        }
        object.metadata.resourceVersion = revision.description
        return object
    }

    /// Storage failures as the Kubernetes statuses clients branch on.
    static func status(_ error: StorageError, resource: ResourceKind?, name: String) -> APIStatus {
        let groupResource = resource?.groupResource ?? GroupResource(group: "", resource: "")
        switch error {
        case .alreadyExists: return .alreadyExists(groupResource, name: name)
        case .notFound: return .notFound(groupResource, name: name)
        case .conflict: return .conflict(groupResource, name: name)
        case .compacted(let oldest):
            return .resourceExpired("too old resource version: requested revision is older than \(oldest)")
        case .futureRevision(let requested, let current):
            return APIStatus(
                code: 504, reason: .timeout,
                message: "Too large resource version: \(requested), current: \(current)")
        case .watcherTooSlow(let last):
            return .internalError("watch fell behind after revision \(last)")
        case .closed: return APIStatus(code: 503, reason: .serviceUnavailable, message: "the server is shutting down")
        case .io(let step, let message): return .internalError("storage \(step.rawValue): \(message)")
        }
    }
}
