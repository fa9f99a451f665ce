import SkiffAPI

/// What the scheduler sleeps on between passes: only changes that can give
/// it work. A pod to place (a new unbound pod), and, while some pod waits for
/// room, anything that may make room (a pod deleted or finished, a node
/// added or changed). A bound pod reporting status, which is most of what a
/// node of a thousand running pods writes, wakes nothing: reading one event
/// is cheap, listing a thousand pods is not.
struct SchedulerWake: Sendable {
    let handler: ResourceHandler
    let pods: ResourceKind
    let nodes: ResourceKind

    /// Returns on the first such change after the revisions the pass read,
    /// or after `timeout`. `waiting` holds the store keys of the pods the pass
    /// could not place: their own changes (the scheduler's PodScheduled
    /// condition) are not news.
    func next(
        podsAfter podRevision: StorageRevision, nodesAfter nodeRevision: StorageRevision, waiting: Set<String>,
        timeout: Duration
    ) async throws {
        let podEvents = try await handler.store.backend.watch(
            prefix: ObjectStore.prefix(pods, namespace: nil), fromRevision: podRevision)
        let nodeEvents = waiting.isEmpty
            ? nil
            : try await handler.store.backend.watch(prefix: ObjectStore.prefix(nodes, namespace: nil), fromRevision: nodeRevision)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await event in podEvents where Self.matters(event, waiting: waiting) { return }
                // The watch ended (cancelled or closed): wake as for a change.
            }
            if let nodeEvents {
                group.addTask {
                    for try await _ in nodeEvents { return }
                }
            }
            group.addTask { try await Task.sleep(for: timeout) }
            try await group.next()
            group.cancelAll()
        }
    }

    static func matters(_ event: StorageEvent, waiting: Set<String>) -> Bool {
        if event.kind == .deleted { return !waiting.isEmpty }
        guard let pod = try? ObjectStore.decode(event.value, revision: event.revision, key: event.key) else { return true }
        if Scheduler.waitsForNode(pod) { return !waiting.contains(event.key) }
        return !waiting.isEmpty && Scheduler.finished(pod)
    }
}
