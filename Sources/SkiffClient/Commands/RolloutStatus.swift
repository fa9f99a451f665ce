import SkiffAPI

/// kubectl's rollout status viewers: from one observation of a Deployment (or DaemonSet),
/// the line to print and whether the rollout is done.
public enum RolloutStatus {
    public struct Observation: Equatable, Sendable {
        /// The line kubectl prints, with its newline.
        public var message: String
        public var done: Bool
    }

    /// kubectl's rule for a Deployment: the spec change is observed
    /// (`generation <= observedGeneration`), all replicas are updated, old ones are gone and
    /// the updated ones are available. A `Progressing` condition with reason
    /// `ProgressDeadlineExceeded` is a failure.
    public static func deployment(_ deployment: JSONValue) throws(CtlError) -> Observation {
        let name = deployment["metadata"]["name"].stringValue ?? ""
        let generation = deployment["metadata"]["generation"].int64Value ?? 0
        let status = deployment["status"]
        guard generation <= (status["observedGeneration"].int64Value ?? 0) else {
            return Observation(message: "Waiting for deployment spec update to be observed...\n", done: false)
        }
        let progressing = (status["conditions"].arrayValue ?? []).first { $0["type"].stringValue == "Progressing" }
        if progressing?["reason"].stringValue == "ProgressDeadlineExceeded" {
            throw .message("deployment \(GoQuote.quote(name)) exceeded its progress deadline")
        }
        let updated = status["updatedReplicas"].int64Value ?? 0
        let replicas = status["replicas"].int64Value ?? 0
        let available = status["availableReplicas"].int64Value ?? 0
        if let desired = deployment["spec"]["replicas"].int64Value, updated < desired {
            return Observation(
                message: "Waiting for deployment \(GoQuote.quote(name)) rollout to finish: \(updated) out of \(desired) new replicas have been updated...\n",
                done: false)
        }
        if replicas > updated {
            return Observation(
                message: "Waiting for deployment \(GoQuote.quote(name)) rollout to finish: \(replicas - updated) old replicas are pending termination...\n",
                done: false)
        }
        if available < updated {
            return Observation(
                message: "Waiting for deployment \(GoQuote.quote(name)) rollout to finish: \(available) of \(updated) updated replicas are available...\n",
                done: false)
        }
        return Observation(message: "deployment \(GoQuote.quote(name)) successfully rolled out\n", done: true)
    }

    /// kubectl's rule for a DaemonSet (RollingUpdate strategy only).
    public static func daemonSet(_ daemonSet: JSONValue) throws(CtlError) -> Observation {
        let name = daemonSet["metadata"]["name"].stringValue ?? ""
        let strategy = daemonSet["spec"]["updateStrategy"]["type"].stringValue ?? "RollingUpdate"
        guard strategy == "RollingUpdate" else {
            throw .message("rollout status is only available for RollingUpdate strategy type")
        }
        let status = daemonSet["status"]
        guard (daemonSet["metadata"]["generation"].int64Value ?? 0) <= (status["observedGeneration"].int64Value ?? 0) else {
            return Observation(message: "Waiting for daemon set spec update to be observed...\n", done: false)
        }
        let desired = status["desiredNumberScheduled"].int64Value ?? 0
        let updated = status["updatedNumberScheduled"].int64Value ?? 0
        let available = status["numberAvailable"].int64Value ?? 0
        if updated < desired {
            return Observation(
                message: "Waiting for daemon set \(GoQuote.quote(name)) rollout to finish: \(updated) out of \(desired) new pods have been updated...\n",
                done: false)
        }
        if available < desired {
            return Observation(
                message: "Waiting for daemon set \(GoQuote.quote(name)) rollout to finish: \(available) of \(desired) updated pods are available...\n",
                done: false)
        }
        return Observation(message: "daemon set \(GoQuote.quote(name)) successfully rolled out\n", done: true)
    }

    /// The viewer for `kind`, or kubectl's refusal.
    public static func observe(_ object: JSONValue, kind: ResourceKind) throws(CtlError) -> Observation {
        switch (kind.group, kind.kind) {
        case ("apps", "Deployment"): return try deployment(object)
        case ("apps", "DaemonSet"): return try daemonSet(object)
        default: throw .message("no status viewer has been implemented for \(kind.kind)")
        }
    }
}
