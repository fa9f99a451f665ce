import Foundation
import SkiffAPI

/// One pass over one Deployment (`syncDeployment`): adopt its ReplicaSets,
/// then either scale (paused, or `spec.replicas` changed) or take one step of
/// its strategy, and write the status. Each step writes what it decided and
/// returns; the ReplicaSet and pod changes it causes wake the next pass,
/// which takes the next step from the new state.
struct DeploymentSync {
    struct Kinds: Sendable {
        let deployments: ResourceKind
        let replicaSets: ResourceKind
    }

    /// A write lost to a concurrent change: the pass stops, the next one sees that change.
    struct StaleWrite: Error {}

    let access: ControllerAccess
    let kinds: Kinds
    let now: Date
    /// What the pass knows, updated after each of its own writes.
    var snapshot: DeploymentSnapshot
    /// The conditions the status write will carry.
    var conditions: DeploymentConditions
    /// Uncontrolled ReplicaSets the selector matches, to adopt.
    private let orphans: [JSONValue]
    /// Controlled ReplicaSets the selector no longer matches, to release.
    private let strays: [JSONValue]
    private let selector: LabelSelector?

    init(
        access: ControllerAccess, kinds: Kinds, deployment: JSONValue, replicaSets: [JSONValue], pods: ReplicaSetPodGroups,
        now: Date
    ) {
        self.access = access
        self.kinds = kinds
        self.now = now
        let uid = deployment.metadata.uid
        let selector = (try? LabelSelector(json: deployment["spec"]["selector"])).flatMap { $0.isEverything ? nil : $0 }
        self.selector = selector
        var controlled: [JSONValue] = []
        var orphans: [JSONValue] = []
        var strays: [JSONValue] = []
        for replicaSet in replicaSets {
            let labels = replicaSet.metadata.labels
            if let owner = replicaSet.metadata.controllerReference {
                guard owner.uid == uid else { continue }
                if selector?.matches(labels) == true || replicaSet.metadata.deletionTimestamp != nil {
                    controlled.append(replicaSet)
                } else {
                    strays.append(replicaSet)
                }
            } else if selector?.matches(labels) == true, replicaSet.metadata.deletionTimestamp == nil {
                orphans.append(replicaSet)
            }
        }
        self.orphans = orphans
        self.strays = strays
        snapshot = DeploymentSnapshot(deployment: deployment, replicaSets: controlled + orphans, pods: pods, now: now)
        conditions = DeploymentConditions(deployment["status"], now: now)
    }

    var deployment: JSONValue { snapshot.deployment }
    var desired: Int64 { DeploymentRolloutMath.replicas(deployment) }
    var hasProgressDeadline: Bool {
        (deployment["spec"]["progressDeadlineSeconds"].int64Value ?? Int64(Int32.max)) < Int64(Int32.max)
    }

    /// Returns when this Deployment must be looked at again even if nothing
    /// changes (a pod becoming available, the progress deadline).
    mutating func run() async throws -> Date? {
        guard deployment.metadata.deletionTimestamp == nil, selector != nil else { return nil }
        do {
            try await adoptAndRelease()
            checkPaused()
            let rollout: Bool
            if deployment["spec"]["paused"].boolValue == true || isScalingEvent {
                try await scalePass()
                rollout = false
            } else if DeploymentRolloutMath.isRecreate(deployment) {
                try await recreatePass()
                rollout = true
            } else {
                try await rollingPass()
                rollout = true
            }
            return try await writeStatus(rollout: rollout)
        } catch is StaleWrite {
            return nil
        }
    }

    // MARK: Ownership

    private mutating func adoptAndRelease() async throws {
        let reference = ControllerAccess.controllerReference(to: deployment)
        for replicaSet in orphans {
            var next = replicaSet
            next.metadata.json["ownerReferences"] = .array((replicaSet.metadata.json["ownerReferences"].arrayValue ?? []) + [reference])
            guard let adopted = try await access.write(kinds.replicaSets, current: replicaSet, next: next) else {
                throw StaleWrite()
            }
            snapshot.record(adopted)
        }
        for replicaSet in strays {
            var next = replicaSet
            next.metadata.ownerReferences = replicaSet.metadata.ownerReferences.filter { $0.uid != deployment.metadata.uid }
            _ = try await access.write(kinds.replicaSets, current: replicaSet, next: next)
        }
    }

    // MARK: Strategies

    /// `rolloutRolling`: grow the new ReplicaSet within the surge; else
    /// shrink old ones within the unavailability; else, once complete, prune history.
    private mutating func rollingPass() async throws {
        guard let newReplicaSet = try await newReplicaSet(create: true) else { return }
        let current = DeploymentSnapshot.replicas(newReplicaSet)
        if current > desired {
            try await scale(newReplicaSet, to: desired)
            return
        }
        if current < desired {
            let total = snapshot.replicaSets.reduce(0) { $0 + snapshot.current($1) }
            let target = DeploymentRolloutMath.newReplicaSetReplicas(
                desired: desired, surge: DeploymentRolloutMath.maxSurge(deployment), currentTotal: total, newReplicas: current)
            if target != current {
                try await scale(newReplicaSet, to: target)
                return
            }
        }
        if try await scaleDownOld(newReplicaSet) { return }
        if isComplete { try await pruneHistory() }
    }

    /// `reconcileOldReplicaSets`: first old pods that are not available
    /// anyway, then available ones down to `replicas - maxUnavailable`.
    private mutating func scaleDownOld(_ newReplicaSet: JSONValue) async throws -> Bool {
        guard snapshot.oldReplicaSets.contains(where: { DeploymentSnapshot.replicas($0) > 0 }) else { return false }
        let allPods = snapshot.replicaSets.reduce(0) { $0 + snapshot.current($1) }
        let unavailable = DeploymentRolloutMath.maxUnavailable(deployment)
        let minAvailable = desired - unavailable
        let newUnavailable = DeploymentSnapshot.replicas(newReplicaSet) - snapshot.available(newReplicaSet)
        let maxScaledDown = DeploymentRolloutMath.maxScaledDown(
            allPods: allPods, desired: desired, unavailable: unavailable, newUnavailable: newUnavailable)
        guard maxScaledDown > 0 else { return false }
        var scaled = false
        var cleaned: Int64 = 0
        for replicaSet in snapshot.oldReplicaSets where cleaned < maxScaledDown {
            let replicas = DeploymentSnapshot.replicas(replicaSet)
            let unhealthy = replicas - snapshot.available(replicaSet)
            guard replicas > 0, unhealthy > 0 else { continue }
            let down = min(maxScaledDown - cleaned, unhealthy)
            try await scale(replicaSet, to: replicas - down)
            cleaned += down
            scaled = true
        }
        let available = snapshot.replicaSets.reduce(0) { $0 + snapshot.available($1) }
        var remaining = available - minAvailable
        for replicaSet in snapshot.oldReplicaSets where remaining > 0 {
            let replicas = DeploymentSnapshot.replicas(replicaSet)
            guard replicas > 0 else { continue }
            let down = min(replicas, remaining)
            try await scale(replicaSet, to: replicas - down)
            remaining -= down
            scaled = true
        }
        return scaled
    }

    /// `rolloutRecreate`: old ReplicaSets to zero, wait until none of their
    /// pods is left, then the new ReplicaSet to full size.
    private mutating func recreatePass() async throws {
        var scaledDown = false
        for replicaSet in snapshot.oldReplicaSets where DeploymentSnapshot.replicas(replicaSet) > 0 {
            try await scale(replicaSet, to: 0)
            scaledDown = true
        }
        if scaledDown { return }
        if snapshot.oldReplicaSets.contains(where: { snapshot.podCounts($0).existing > 0 }) { return }
        guard let newReplicaSet = try await newReplicaSet(create: true) else { return }
        if DeploymentSnapshot.replicas(newReplicaSet) != desired {
            try await scale(newReplicaSet, to: desired)
            return
        }
        if isComplete { try await pruneHistory() }
    }

    /// `dc.sync`: paused, or `spec.replicas` changed since the ReplicaSets
    /// were sized. One active ReplicaSet takes the new size; several share
    /// the difference in proportion to their sizes (RollingUpdate).
    private mutating func scalePass() async throws {
        let newReplicaSet = try await newReplicaSet(create: false)
        let active = snapshot.replicaSets.filter { DeploymentSnapshot.replicas($0) > 0 }
        // Spelled out: `nil` in a ternary would become JSON null (JSONValue is nil-literal expressible).
        var single: JSONValue? = Optional.none
        if active.isEmpty {
            single = newReplicaSet ?? snapshot.replicaSets.last
        } else if active.count == 1 {
            single = active[0]
        }
        if let single {
            try await scale(single, to: desired)
        } else if let newReplicaSet, isSaturated(newReplicaSet) {
            for replicaSet in snapshot.oldReplicaSets where DeploymentSnapshot.replicas(replicaSet) > 0 {
                try await scale(replicaSet, to: 0)
            }
        } else {
            var planned: [String: Int64] = [:]
            if DeploymentRolloutMath.isRecreate(deployment) {
                // Recreate shares nothing: the sizes stay, the annotations catch up.
                for replicaSet in active { planned[replicaSet.metadata.uid ?? ""] = DeploymentSnapshot.replicas(replicaSet) }
            } else {
                let shares = active.map {
                    DeploymentRolloutMath.Share(
                        id: $0.metadata.uid ?? "", replicas: DeploymentSnapshot.replicas($0),
                        maxBefore: $0.metadata.annotations[DeploymentAnnotations.maxReplicas].flatMap { Int64($0) })
                }
                planned = DeploymentRolloutMath.proportionalSizes(
                    shares, desired: desired, surge: DeploymentRolloutMath.maxSurge(deployment),
                    statusReplicas: deployment["status"]["replicas"].int64Value ?? 0)
            }
            for replicaSet in active {
                let uid = replicaSet.metadata.uid ?? ""
                try await scale(replicaSet, to: planned[uid] ?? DeploymentSnapshot.replicas(replicaSet))
            }
        }
        if deployment["spec"]["paused"].boolValue == true { try await pruneHistory() }
    }

    // MARK: State

    /// Some active ReplicaSet was sized for another `spec.replicas`.
    private var isScalingEvent: Bool {
        snapshot.replicaSets.contains { replicaSet in
            guard DeploymentSnapshot.replicas(replicaSet) > 0,
                let wanted = replicaSet.metadata.annotations[DeploymentAnnotations.desiredReplicas].flatMap({ Int64($0) })
            else { return false }
            return wanted != desired
        }
    }

    private func isSaturated(_ replicaSet: JSONValue) -> Bool {
        DeploymentSnapshot.replicas(replicaSet) == desired
            && replicaSet.metadata.annotations[DeploymentAnnotations.desiredReplicas] == String(desired)
            && snapshot.podCounts(replicaSet).available == desired
    }

    /// Every replica updated and available, no old pod left (`DeploymentComplete`).
    var isComplete: Bool {
        let newCounts = snapshot.podCounts(snapshot.newReplicaSet)
        let total = snapshot.replicaSets.reduce(0) { $0 + snapshot.podCounts($1).active }
        return newCounts.active == desired && total == desired && newCounts.available == desired
    }

    /// `checkPausedConditions`: Progressing becomes Unknown/DeploymentPaused
    /// while paused and Unknown/DeploymentResumed after, so the deadline does
    /// not run out during a pause.
    private mutating func checkPaused() {
        guard hasProgressDeadline else { return }
        let reason = conditions.get("Progressing")?["reason"].stringValue
        if reason == "ProgressDeadlineExceeded" { return }
        let paused = deployment["spec"]["paused"].boolValue == true
        if paused && reason != "DeploymentPaused" {
            conditions.set("Progressing", status: "Unknown", reason: "DeploymentPaused", message: "Deployment is paused")
        } else if !paused && reason == "DeploymentPaused" {
            conditions.set("Progressing", status: "Unknown", reason: "DeploymentResumed", message: "Deployment is resumed")
        }
    }

    private func writeStatus(rollout: Bool) async throws -> Date? {
        let result = DeploymentStatusCalculator.calculate(
            snapshot, newReplicaSet: snapshot.newReplicaSet, conditions: conditions, rollout: rollout, now: now)
        if result.status != deployment["status"] {
            var next = deployment
            next["status"] = result.status
            try await access.writeStatus(kinds.deployments, current: deployment, next: next)
        }
        return [result.deadline, snapshot.nextAvailable].compactMap { $0 }.min()
    }
}
