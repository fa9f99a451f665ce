import Foundation
import SkiffAPI

extension ResourceHandler {
    /// Returns on the first change of any of `resources` after the revision
    /// each was listed at, or after `timeout`: the ReplicaSet and Deployment
    /// controllers depend on several kinds at once (a pod turning Ready moves a
    /// Deployment's rollout), and on time passing (minReadySeconds, progress
    /// deadlines), which no event announces.
    func waitForChange(of resources: [(ResourceKind, StorageRevision)], timeout: Duration) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (resource, revision) in resources {
                group.addTask { try await self.waitForChange(of: resource, after: revision, timeout: timeout) }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}

/// How long a controller may sleep before something it knows of falls due:
/// `due` (a pod becoming available, a deadline passing), capped so a missed
/// event costs at most `cap`, and never less than a short floor so a due time
/// that is already past does not spin.
func controllerTimeout(until due: Date?, now: Date, cap: Duration = .seconds(5)) -> Duration {
    guard let due else { return cap }
    let seconds = max(0.05, due.timeIntervalSince(now) + 0.05)
    return min(cap, .milliseconds(Int64(seconds * 1000)))
}
