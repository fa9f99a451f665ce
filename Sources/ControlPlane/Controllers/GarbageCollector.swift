import Foundation
import Logging
import SkiffAPI

/// Follows `metadata.ownerReferences` as Kubernetes' garbage collector does:
/// when an owner is gone its dependents are deleted (Background), an owner
/// being deleted with Foreground waits for its dependents, and one deleted
/// with Orphan has its dependents' references removed first. So deleting a
/// Deployment takes its ReplicaSets and their Pods with it.
struct GarbageCollector: Sendable {
    let handler: ResourceHandler
    let logger: Logger
    private let index = OwnerIndex()

    init(handler: ResourceHandler, logger: Logger) {
        self.handler = handler
        self.logger = logger
    }

    func run() async {
        while !Task.isCancelled {
            do {
                let revision = try await handler.store.currentRevision()
                try await sweepDangling()
                let events = try await handler.store.backend.watch(prefix: "/registry/", fromRevision: revision)
                for try await event in events {
                    try await process(event)
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("garbage collector: \(error)")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func process(_ event: StorageEvent) async throws(APIStatus) {
        guard let object = try? ObjectStore.decode(event.value, revision: event.revision),
            let resource = object.groupVersionKind.flatMap({ handler.registry.resource(for: $0) })
        else { return }
        let meta = object.metadata
        switch event.kind {
        case .deleted:
            index.forget(object, resource: resource)
            if let uid = meta.uid { try await deleteDependents(ofUID: uid) }
            // A dependent went away: an owner waiting in Foreground may now be done.
            for owner in meta.ownerReferences { try await recheckForegroundOwner(owner, namespace: meta.namespace) }
        case .added, .modified:
            index.record(object, resource: resource)
            guard meta.deletionTimestamp != nil else { return }
            if meta.finalizers.contains("orphan") { try await orphanDependents(of: object) }
            if meta.finalizers.contains("foregroundDeletion") { try await foreground(object) }
        }
    }

    /// The objects that name `uid` as an owner now, from the index, re-read so a
    /// reference removed meanwhile is not acted on.
    private func dependents(ofUID uid: String) async throws(APIStatus) -> [(ResourceKind, JSONValue)] {
        var found: [(ResourceKind, JSONValue)] = []
        for dependent in index.dependents(of: uid) {
            guard let object = try await handler.store.get(dependent.resource, namespace: dependent.namespace, name: dependent.name),
                object.metadata.ownerReferences.contains(where: { $0.uid == uid })
            else { continue }
            found.append((dependent.resource, object))
        }
        return found
    }

    private func deleteDependents(ofUID uid: String) async throws(APIStatus) {
        for (resource, dependent) in try await dependents(ofUID: uid) {
            // Only when every owner is gone; a dependent with a living second owner stays.
            let others = dependent.metadata.ownerReferences.filter { $0.uid != uid }
            var anyAlive = false
            for owner in others where try await ownerExists(owner, namespace: dependent.metadata.namespace) {
                anyAlive = true
            }
            if anyAlive { continue }
            try await delete(resource, dependent)
        }
    }

    private func delete(_ resource: ResourceKind, _ object: JSONValue) async throws(APIStatus) {
        guard let name = object.metadata.name, object.metadata.deletionTimestamp == nil else { return }
        do {
            _ = try await handler.deleteObject(
                Scope(resource: resource, namespace: object.metadata.namespace), name: name, options: .background)
        } catch where error.reason == .notFound || error.reason == .conflict {
            return
        }
    }

    private func orphanDependents(of owner: JSONValue) async throws(APIStatus) {
        guard let uid = owner.metadata.uid else { return }
        for (resource, dependent) in try await dependents(ofUID: uid) {
            var next = dependent
            next.metadata.ownerReferences = dependent.metadata.ownerReferences.filter { $0.uid != uid }
            _ = try? await handler.commitUpdate(
                Scope(resource: resource, namespace: dependent.metadata.namespace), current: dependent,
                proposed: next, subresource: nil)
        }
        try await removeFinalizer("orphan", from: owner)
    }

    private func foreground(_ owner: JSONValue) async throws(APIStatus) {
        guard let uid = owner.metadata.uid else { return }
        let remaining = try await dependents(ofUID: uid)
        for (resource, dependent) in remaining { try await delete(resource, dependent) }
        let blocking = remaining.filter { _, dependent in
            dependent.metadata.ownerReferences.contains { $0.uid == uid && $0.blockOwnerDeletion == true }
        }
        if blocking.isEmpty { try await removeFinalizer("foregroundDeletion", from: owner) }
    }

    private func recheckForegroundOwner(_ reference: OwnerReference, namespace: String?) async throws(APIStatus) {
        guard let resource = handler.registry.resource(apiVersion: reference.apiVersion, kind: reference.kind),
            let owner = try await handler.store.get(
                resource, namespace: resource.namespaced ? namespace : nil, name: reference.name),
            owner.metadata.uid == reference.uid, owner.metadata.deletionTimestamp != nil,
            owner.metadata.finalizers.contains("foregroundDeletion")
        else { return }
        try await foreground(owner)
    }

    private func removeFinalizer(_ finalizer: String, from owner: JSONValue) async throws(APIStatus) {
        guard let resource = owner.groupVersionKind.flatMap({ handler.registry.resource(for: $0) }) else { return }
        var next = owner
        next.metadata.finalizers = owner.metadata.finalizers.filter { $0 != finalizer }
        do {
            _ = try await handler.commitUpdate(
                Scope(resource: resource, namespace: owner.metadata.namespace), current: owner, proposed: next,
                subresource: nil)
        } catch where error.reason == .conflict || error.reason == .notFound {
            return  // the next event for the owner retries
        }
    }

    private func ownerExists(_ reference: OwnerReference, namespace: String?) async throws(APIStatus) -> Bool {
        guard let resource = handler.registry.resource(apiVersion: reference.apiVersion, kind: reference.kind) else {
            return true  // unknown kinds are never collected on a guess
        }
        let owner = try await handler.store.get(resource, namespace: resource.namespaced ? namespace : nil, name: reference.name)
        return owner?.metadata.uid == reference.uid
    }

    /// At start: fills the owner index, and deletes dependents whose owners
    /// vanished while the server was down (a kill -9 between an owner's delete
    /// and this collector's reaction).
    private func sweepDangling() async throws(APIStatus) {
        index.reset()
        for resource in handler.registry.resources {
            let page = try await handler.store.list(resource, namespace: nil, limit: nil, continueAfter: nil, atRevision: nil)
            for (_, object) in page.objects where !object.metadata.ownerReferences.isEmpty {
                index.record(object, resource: resource)
                guard resource.namespaced else { continue }
                var anyAlive = false
                for owner in object.metadata.ownerReferences
                where try await ownerExists(owner, namespace: object.metadata.namespace) {
                    anyAlive = true
                }
                if !anyAlive { try await delete(resource, object) }
            }
        }
    }
}
