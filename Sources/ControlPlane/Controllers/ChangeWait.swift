import SkiffAPI

extension ResourceHandler {
    /// Returns on the next event of `resource` after `revision`, or after
    /// `timeout` when nothing happens: the in-server controllers' "wait for
    /// work", which also looks again now and then for what events do not
    /// announce (time passing, other resources changing).
    func waitForChange(of resource: ResourceKind, after revision: StorageRevision, timeout: Duration = .seconds(1))
        async throws
    {
        let events = try await store.backend.watch(prefix: ObjectStore.prefix(resource, namespace: nil), fromRevision: revision)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await _ in events { return }
            }
            group.addTask { try await Task.sleep(for: timeout) }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Returns on the first change of any of `resources` after the revision
    /// each was listed at, or after `timeout`: for controllers that depend on
    /// several kinds (a Deployment on its ReplicaSets and their pods, a
    /// DaemonSet on nodes too). After waking it waits `settle` more, so that
    /// a burst of changes (a hundred pods created, each turning Ready) is
    /// read by one pass instead of one pass per change.
    func waitForChange(
        of resources: [(ResourceKind, StorageRevision)], timeout: Duration, settle: Duration = .zero
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (resource, revision) in resources {
                group.addTask { try await self.waitForChange(of: resource, after: revision, timeout: timeout) }
            }
            try await group.next()
            group.cancelAll()
        }
        if settle > .zero { try await Task.sleep(for: settle) }
    }

    /// `waitForChange(of:timeout:)` for kinds all listed at one revision.
    func waitForChange(
        ofAny resources: [ResourceKind], after revision: StorageRevision, timeout: Duration, settle: Duration = .zero
    ) async throws {
        try await waitForChange(of: resources.map { ($0, revision) }, timeout: timeout, settle: settle)
    }
}
