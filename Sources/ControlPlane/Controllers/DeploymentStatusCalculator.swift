import Foundation
import SkiffAPI

/// A Deployment's `status` from its snapshot (`calculateStatus` and
/// `syncRolloutStatus` of the deployment controller): the counts, the
/// `Available` condition, and, when the pass was a rollout, the `Progressing`
/// condition with its progress deadline.
enum DeploymentStatusCalculator {
    struct Result {
        var status: JSONValue
        /// When the progress deadline passes, if the rollout is still under way.
        var deadline: Date?
    }

    /// `conditions` carries what the pass already decided (new ReplicaSet
    /// created or found, paused or resumed); `rollout` is false on a pass that
    /// only scaled, which never judges progress.
    static func calculate(
        _ snapshot: DeploymentSnapshot, newReplicaSet: JSONValue?, conditions: DeploymentConditions, rollout: Bool,
        now: Date
    ) -> Result {
        let deployment = snapshot.deployment
        let old = deployment["status"]
        var total = PodTotals()
        for replicaSet in snapshot.replicaSets {
            let counts = snapshot.podCounts(replicaSet)
            total.replicas += counts.active
            total.ready += counts.ready
            total.available += counts.available
            total.specified += DeploymentSnapshot.replicas(replicaSet)
        }
        let updated = snapshot.podCounts(newReplicaSet).active
        let desired = DeploymentRolloutMath.replicas(deployment)
        let generation = deployment.metadata.generation ?? 0

        var status = JSONValue.emptyObject
        status["observedGeneration"] = generation == 0 ? .null : .integer(generation)
        status["replicas"] = omitZero(total.replicas)
        status["updatedReplicas"] = omitZero(updated)
        status["readyReplicas"] = omitZero(total.ready)
        status["availableReplicas"] = omitZero(total.available)
        status["unavailableReplicas"] = omitZero(max(0, total.specified - total.available))
        status["collisionCount"] = old["collisionCount"]

        var conditions = conditions
        if total.available >= desired - DeploymentRolloutMath.maxUnavailable(deployment) {
            conditions.set("Available", status: "True", reason: "MinimumReplicasAvailable",
                message: "Deployment has minimum availability.")
        } else {
            conditions.set("Available", status: "False", reason: "MinimumReplicasUnavailable",
                message: "Deployment does not have minimum availability.")
        }

        var deadline: Date?
        let seconds = deployment["spec"]["progressDeadlineSeconds"].int64Value
        if rollout, let seconds, seconds < Int64(Int32.max) {
            let name = newReplicaSet?.metadata.name
            // Once complete, nothing changes the condition until a new template.
            let complete = total.replicas == updated
                && conditions.get("Progressing")?["reason"].stringValue == "NewReplicaSetAvailable"
            if !complete {
                let completeNow = updated == desired && total.replicas == desired && total.available == desired
                // `DeploymentProgressing`: more updated, ready or available pods, or fewer old ones.
                let oldBefore = (old["replicas"].int64Value ?? 0) - (old["updatedReplicas"].int64Value ?? 0)
                let progressing =
                    updated > (old["updatedReplicas"].int64Value ?? 0) || total.replicas - updated < oldBefore
                    || total.ready > (old["readyReplicas"].int64Value ?? 0)
                    || total.available > (old["availableReplicas"].int64Value ?? 0)
                if completeNow {
                    conditions.set("Progressing", status: "True", reason: "NewReplicaSetAvailable",
                        message: name.map { "ReplicaSet \(GoQuote.quote($0)) has successfully progressed." }
                            ?? "Deployment has successfully progressed.")
                } else if progressing {
                    conditions.progressed(reason: "ReplicaSetUpdated",
                        message: name.map { "ReplicaSet \(GoQuote.quote($0)) is progressing." } ?? "Deployment is progressing.")
                } else if let at = timesOut(conditions.get("Progressing"), seconds: seconds), at <= now {
                    conditions.set("Progressing", status: "False", reason: "ProgressDeadlineExceeded",
                        message: name.map { "ReplicaSet \(GoQuote.quote($0)) has timed out progressing." }
                            ?? "Deployment has timed out progressing.")
                }
                // nil once complete or timed out: nothing left to wait for.
                deadline = timesOut(conditions.get("Progressing"), seconds: seconds)
            }
        }
        status["conditions"] = conditions.list.isEmpty ? .null : .array(conditions.list)
        return Result(status: status, deadline: deadline)
    }

    /// When a Progressing condition last updated at T times out: T + deadline
    /// (`DeploymentTimedOut`); nil when it cannot time out.
    private static func timesOut(_ condition: JSONValue?, seconds: Int64) -> Date? {
        guard let condition, let reason = condition["reason"].stringValue, reason != "NewReplicaSetAvailable",
            reason != "ProgressDeadlineExceeded",
            let updated = condition["lastUpdateTime"].stringValue.flatMap(RFC3339.date)
        else { return nil }
        // Kubernetes times out strictly after the deadline; stamps have whole seconds.
        return updated.addingTimeInterval(TimeInterval(seconds) + 1)
    }

    private struct PodTotals {
        var replicas: Int64 = 0
        var ready: Int64 = 0
        var available: Int64 = 0
        var specified: Int64 = 0
    }

    private static func omitZero(_ count: Int64) -> JSONValue {
        count == 0 ? .null : .integer(count)
    }
}
