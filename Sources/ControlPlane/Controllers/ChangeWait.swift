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
}
