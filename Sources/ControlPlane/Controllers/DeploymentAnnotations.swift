import SkiffAPI

/// The annotations a Deployment and its ReplicaSets carry, which
/// `rollout history|undo` and the controller itself read back.
enum DeploymentAnnotations {
    static let revision = "deployment.kubernetes.io/revision"
    static let revisionHistory = "deployment.kubernetes.io/revision-history"
    static let desiredReplicas = "deployment.kubernetes.io/desired-replicas"
    static let maxReplicas = "deployment.kubernetes.io/max-replicas"
    static let changeCause = "kubernetes.io/change-cause"

    /// Annotations of the Deployment that describe its rollout, not its
    /// template: never copied onto a ReplicaSet (`skipCopyAnnotation`).
    static let notCopied: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", revision, revisionHistory, desiredReplicas, maxReplicas,
        "deprecated.deployment.rollback.to",
    ]

    /// `SetNewReplicaSetAnnotations`: the Deployment's own annotations
    /// (change-cause among them) copied onto the ReplicaSet, and its revision
    /// raised to `revision` when lower (a ReplicaSet brought back by `rollout
    /// undo` becomes the newest revision). Returns whether anything changed.
    @discardableResult
    static func applyToNewReplicaSet(_ replicaSet: inout JSONValue, from deployment: JSONValue, revision: Int64) -> Bool {
        var annotations = replicaSet.metadata.annotations
        let before = annotations
        for (key, value) in deployment.metadata.annotations where !notCopied.contains(key) {
            annotations[key] = value
        }
        let old = annotations[Self.revision]
        let current = old.flatMap { Int64($0) } ?? 0
        if current < revision {
            annotations[Self.revision] = String(revision)
            // Brought back by a rollback: the revisions it had are kept in the history.
            if let old, !old.isEmpty { annotations[revisionHistory] = appendingHistory(annotations[revisionHistory], old) }
        }
        guard annotations != before else { return false }
        replicaSet.metadata.annotations = annotations
        return true
    }

    /// Kubernetes' cap on `revision-history`, in characters.
    static let historyLimit = 2000

    /// `old` appended to a comma-separated history, the oldest entries
    /// dropped while it would be longer than `historyLimit`.
    static func appendingHistory(_ history: String?, _ old: String) -> String {
        var entries = (history ?? "").split(separator: ",").map(String.init) + [old]
        while entries.joined(separator: ",").count > historyLimit, entries.count > 1 { entries.removeFirst() }
        return entries.joined(separator: ",")
    }

    /// `SetReplicasAnnotations`: what the Deployment wanted when it last sized
    /// this ReplicaSet, so a later change of `spec.replicas` is recognised as
    /// a scaling event. Returns whether anything changed.
    @discardableResult
    static func applyReplicas(_ replicaSet: inout JSONValue, desired: Int64, max: Int64) -> Bool {
        var annotations = replicaSet.metadata.annotations
        let before = annotations
        annotations[desiredReplicas] = String(desired)
        annotations[maxReplicas] = String(max)
        guard annotations != before else { return false }
        replicaSet.metadata.annotations = annotations
        return true
    }
}
