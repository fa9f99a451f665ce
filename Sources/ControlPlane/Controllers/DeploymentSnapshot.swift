import Foundation
import SkiffAPI

/// One Deployment and what it controls, as read at the start of a pass: its
/// ReplicaSets (oldest first), which of them runs the current template, and
/// the pods of each counted from the pods themselves rather than from the
/// ReplicaSets' status, which lags a pass behind the pods it describes.
struct DeploymentSnapshot {
    struct PodCounts {
        /// Neither finished nor terminating.
        var active: Int64 = 0
        var ready: Int64 = 0
        var available: Int64 = 0
        /// Not finished, terminating ones included (Recreate waits for those too).
        var existing: Int64 = 0
    }

    var deployment: JSONValue
    /// The controlled ReplicaSets, oldest first.
    var replicaSets: [JSONValue]
    private(set) var counts: [String: PodCounts] = [:]
    /// When a pod of this Deployment becomes available (minReadySeconds).
    private(set) var nextAvailable: Date?

    init(deployment: JSONValue, replicaSets: [JSONValue], pods: ReplicaSetPodGroups, now: Date) {
        self.deployment = deployment
        self.replicaSets = replicaSets.sorted(by: Self.olderFirst)
        let minReady = deployment["spec"]["minReadySeconds"].int64Value ?? 0
        for replicaSet in replicaSets {
            guard let uid = replicaSet.metadata.uid else { continue }
            var count = PodCounts()
            for pod in pods.pods(controlledBy: uid) where !PodState.isFinished(pod) {
                count.existing += 1
                guard PodState.isActive(pod) else { continue }
                count.active += 1
                if PodState.isReady(pod) { count.ready += 1 }
                if PodState.isAvailable(pod, minReadySeconds: minReady, now: now) { count.available += 1 }
                if let at = PodState.availableAt(pod, minReadySeconds: minReady, now: now) {
                    nextAvailable = min(nextAvailable ?? at, at)
                }
            }
            counts[uid] = count
        }
    }

    /// Creation time has whole seconds only; within one second the lower
    /// revision counts as older.
    static func olderFirst(_ a: JSONValue, _ b: JSONValue) -> Bool {
        (a.metadata.creationTimestamp ?? "", revision(a), a.metadata.name ?? "")
            < (b.metadata.creationTimestamp ?? "", revision(b), b.metadata.name ?? "")
    }

    /// The ReplicaSet whose template is the Deployment's (the oldest, should
    /// there be several), ignoring `pod-template-hash`.
    var newReplicaSet: JSONValue? {
        let template = deployment["spec"]["template"]
        return replicaSets.first { PodTemplateHash.equalIgnoringHash($0["spec"]["template"], template) }
    }

    var oldReplicaSets: [JSONValue] {
        let newUID = newReplicaSet?.metadata.uid
        return replicaSets.filter { $0.metadata.uid != newUID }
    }

    func podCounts(_ replicaSet: JSONValue?) -> PodCounts {
        replicaSet?.metadata.uid.flatMap { counts[$0] } ?? PodCounts()
    }

    static func replicas(_ replicaSet: JSONValue?) -> Int64 {
        replicaSet?["spec"]["replicas"].int64Value ?? 0
    }

    /// Pods a ReplicaSet stands for when counting toward the surge: its
    /// replicas, or more while pods it was told to drop are still there.
    func current(_ replicaSet: JSONValue) -> Int64 {
        max(Self.replicas(replicaSet), podCounts(replicaSet).active)
    }

    /// Pods of a ReplicaSet that count as available toward minAvailable:
    /// never more than its replicas, so pods it is about to delete do not
    /// allow a second scale-down before they are gone.
    func available(_ replicaSet: JSONValue) -> Int64 {
        min(Self.replicas(replicaSet), podCounts(replicaSet).available)
    }

    /// Replace `replicaSet` (matched by uid) after a write, or add it.
    mutating func record(_ replicaSet: JSONValue) {
        if let index = replicaSets.firstIndex(where: { $0.metadata.uid == replicaSet.metadata.uid }) {
            replicaSets[index] = replicaSet
        } else {
            replicaSets.append(replicaSet)
        }
    }

    static func revision(_ replicaSet: JSONValue) -> Int64 {
        replicaSet.metadata.annotations[DeploymentAnnotations.revision].flatMap { Int64($0) } ?? 0
    }
}
