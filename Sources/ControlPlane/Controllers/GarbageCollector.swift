import Foundation
import Logging
import SkiffAPI

/// Follows `metadata.ownerReferences` as Kubernetes' garbage collector does:
/// when an owner is gone its dependents are deleted (Background), an owner
/// being deleted with Foreground waits for its dependents, and one deleted
/// with Orphan has its dependents' references removed first. So deleting a
/// Deployment takes its ReplicaSets and their Pods with it.
///
/// Events are handled one at a time, in order; the dependents of one owner
/// are acted on a few dozen at once (`BoundedParallelism`), each re-read
/// first, so a ReplicaSet of a thousand pods is gone in seconds.
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
        guard let object = try? ObjectStore.decode(event.value, revision: event.revision, key: event.key),
            let resource = object.groupVersionKind.flatMap({ handler.registry.resource(for: $0) })
        else { return }
        let meta = object.metadata
        switch event.kind {
        case .deleted:
            index.forget(object, resource: resource)
            if let uid = meta.uid {
                index.stopWaiting(uid)
                try await deleteDependents(ofUID: uid)
            }
            // A dependent went away: an owner waiting in Foreground may now be done.
            for owner in meta.ownerReferences { try await recheckForegroundOwner(owner, namespace: meta.namespace) }
        case .added, .modified:
            // A dependent that stopped blocking its owner may be the one it waited for.
            for owner in index.record(object, resource: resource) {
                try await recheckForegroundOwner(owner, namespace: meta.namespace)
            }
            guard meta.deletionTimestamp != nil else {
                // Created (or adopted) while its owner waits in Foreground: it goes too.
                if let owner = index.waitingOwner(among: meta.ownerReferences), let name = meta.name,
                    let current = try await current(
                        OwnerIndex.Dependent(resource: resource, namespace: meta.namespace, name: name), ownedBy: owner.uid)
                {
                    try await delete(resource, current)
                }
                return
            }
            if meta.finalizers.contains("orphan") { try await orphanDependents(of: object) }
            if meta.finalizers.contains("foregroundDeletion") {
                try await foreground(object)
            } else if let uid = meta.uid {
                index.stopWaiting(uid)
            }
        }
    }

    /// `dependent` as stored now if it still names `uid` as an owner: the index
    /// follows the event stream, which lags the store, so a reference removed
    /// meanwhile is not acted on.
    private func current(_ dependent: OwnerIndex.Dependent, ownedBy uid: String) async throws(APIStatus) -> JSONValue? {
        guard let object = try await handler.store.get(dependent.resource, namespace: dependent.namespace, name: dependent.name),
            object.metadata.ownerReferences.contains(where: { $0.uid == uid })
        else { return nil }
        return object
    }

    /// Deletes what `uid` owned, many at once (a ReplicaSet of a thousand pods
    /// goes in seconds, not a minute).
    private func deleteDependents(ofUID uid: String) async throws(APIStatus) {
        try await BoundedParallelism.forEach(index.dependents(of: uid)) { dependent throws(APIStatus) in
            guard let object = try await current(dependent, ownedBy: uid) else { return }
            // Only when every owner is gone; a dependent with a living second owner stays.
            for owner in object.metadata.ownerReferences where owner.uid != uid {
                if try await ownerExists(owner, namespace: object.metadata.namespace) { return }
            }
            try await delete(dependent.resource, object)
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
        try await BoundedParallelism.forEach(index.dependents(of: uid)) { dependent throws(APIStatus) in
            guard let object = try await current(dependent, ownedBy: uid) else { return }
            var next = object
            next.metadata.ownerReferences = object.metadata.ownerReferences.filter { $0.uid != uid }
            _ = try? await handler.commitUpdate(
                Scope(resource: dependent.resource, namespace: dependent.namespace), current: object,
                proposed: next, subresource: nil)
        }
        try await removeFinalizer("orphan", from: owner)
    }

    /// Deletes the owner's dependents; once none that blocks its deletion is
    /// left, lets the owner go.
    private func foreground(_ owner: JSONValue) async throws(APIStatus) {
        guard let uid = owner.metadata.uid else { return }
        index.markWaiting(uid)
        let blocks = try await BoundedParallelism.map(index.dependents(of: uid)) { dependent throws(APIStatus) -> Bool in
            guard let object = try await current(dependent, ownedBy: uid) else { return false }
            try await delete(dependent.resource, object)
            return object.metadata.ownerReferences.contains { $0.uid == uid && $0.blockOwnerDeletion == true }
        }
        if !blocks.contains(true) { try await removeFinalizer("foregroundDeletion", from: owner) }
    }

    private func recheckForegroundOwner(_ reference: OwnerReference, namespace: String?) async throws(APIStatus) {
        // Another blocking dependent is still known: its own delete (or change)
        // comes through the watch later and looks again then.
        guard !index.hasBlockingDependents(of: reference.uid),
            let resource = handler.registry.resource(apiVersion: reference.apiVersion, kind: reference.kind),
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

    /// At start: fills the owner index, deletes dependents whose owners
    /// vanished while the server was down (a kill -9 between an owner's delete
    /// and this collector's reaction), and carries on with owners that were
    /// being deleted in Foreground or Orphan then (their last dependent's
    /// event may have come and gone meanwhile).
    private func sweepDangling() async throws(APIStatus) {
        index.reset()
        // Every uid seen while listing: an owner seen is alive (its delete, if it
        // comes, is in the watch that follows); one not seen may have been
        // created after its kind was listed, so the store is asked.
        var seen: Set<String> = []
        var dependents: [(ResourceKind, JSONValue)] = []
        var deleting: [JSONValue] = []
        for resource in handler.registry.resources {
            let page = try await handler.store.list(resource, namespace: nil, limit: nil, continueAfter: nil, atRevision: nil)
            for (_, object) in page.objects {
                let meta = object.metadata
                if let uid = meta.uid { seen.insert(uid) }
                if meta.deletionTimestamp != nil,
                    meta.finalizers.contains("orphan") || meta.finalizers.contains("foregroundDeletion")
                {
                    deleting.append(object)
                }
                guard !meta.ownerReferences.isEmpty else { continue }
                index.record(object, resource: resource)
                if resource.namespaced { dependents.append((resource, object)) }
            }
        }
        let known = seen
        let dangling = dependents.filter { _, object in !object.metadata.ownerReferences.contains { known.contains($0.uid) } }
        try await BoundedParallelism.forEach(dangling.map { Candidate(resource: $0.0, object: $0.1) }) {
            candidate throws(APIStatus) in
            let meta = candidate.object.metadata
            for owner in meta.ownerReferences where try await ownerExists(owner, namespace: meta.namespace) { return }
            try await delete(candidate.resource, candidate.object)
        }
        for owner in deleting {
            if owner.metadata.finalizers.contains("orphan") { try await orphanDependents(of: owner) }
            if owner.metadata.finalizers.contains("foregroundDeletion") { try await foreground(owner) }
        }
    }

    private struct Candidate: Sendable {
        let resource: ResourceKind
        let object: JSONValue
    }
}
