import Foundation
import SkiffAPI

extension ResourceHandler {
    /// Returns on the first change of any of `resources` after `revision`, or
    /// after `timeout`: the wait of controllers that depend on several kinds
    /// (a Job on its Pods, a DaemonSet on Nodes too). Shared by the Job,
    /// StatefulSet and DaemonSet controllers.
    func waitForChange(ofAny resources: [ResourceKind], after revision: StorageRevision, timeout: Duration) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for resource in resources {
                group.addTask { try await waitForChange(of: resource, after: revision, timeout: timeout) }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// How long until `date` (at least a little, at most `cap`): the timeout
    /// that wakes a controller for a deadline no store event announces.
    func timeout(until date: Date?, cap: Duration = .seconds(30)) -> Duration {
        guard let date else { return cap }
        let seconds = date.timeIntervalSince(now())
        guard seconds < Double(cap.components.seconds) else { return cap }
        return .milliseconds(max(50, Int64(seconds * 1000) + 50))
    }
}
