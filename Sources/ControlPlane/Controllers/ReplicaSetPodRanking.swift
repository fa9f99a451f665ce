import Foundation
import SkiffAPI

/// Which pods a ReplicaSet gives up first when it has too many: Kubernetes'
/// `ActivePods` order, simplified. The pods that cost least to lose go first:
/// not yet on a node, then Pending before Unknown before Running, not ready
/// before ready, ready for the shortest time, restarted most, newest.
enum ReplicaSetPodRanking {
    /// `pods` sorted so that the first ones are deleted first.
    static func deletionOrder(_ pods: [JSONValue]) -> [JSONValue] {
        pods.map { (pod: $0, key: Key($0)) }.sorted { $0.key < $1.key }.map(\.pod)
    }

    private struct Key: Comparable {
        var assigned: Int
        var phase: Int
        var ready: Int
        /// Negated times and counts: later (or more) sorts first.
        var readySince: Double
        var restarts: Int64
        var created: Double
        var name: String

        init(_ pod: JSONValue) {
            assigned = (pod["spec"]["nodeName"].stringValue ?? "").isEmpty ? 0 : 1
            switch pod["status"]["phase"].stringValue {
            case "Pending", nil: phase = 0
            case "Running": phase = 2
            default: phase = 1
            }
            let isReady = PodState.isReady(pod)
            ready = isReady ? 1 : 0
            let readyCondition = pod["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "Ready" }
            let since = readyCondition?["lastTransitionTime"].stringValue.flatMap(RFC3339.date)?.timeIntervalSince1970
            readySince = isReady ? -(since ?? 0) : 0
            restarts = -((pod["status"]["containerStatuses"].arrayValue ?? []).map { $0["restartCount"].int64Value ?? 0 }
                .max() ?? 0)
            created = -(pod.metadata.creationTimestamp.flatMap(RFC3339.date)?.timeIntervalSince1970 ?? 0)
            name = pod.metadata.name ?? ""
        }

        static func < (a: Key, b: Key) -> Bool {
            (a.assigned, a.phase, a.ready, a.readySince, a.restarts, a.created)
                < (b.assigned, b.phase, b.ready, b.readySince, b.restarts, b.created)
                || ((a.assigned, a.phase, a.ready, a.readySince, a.restarts, a.created)
                    == (b.assigned, b.phase, b.ready, b.readySince, b.restarts, b.created) && a.name > b.name)
        }
    }
}
