import Foundation
import Logging
import SkiffAPI

/// Keeps `spec.replicas` pods running for each ReplicaSet, as
/// kube-controller-manager's replicaset controller does: pods matching the
/// selector are adopted (or released when they stop matching), missing ones
/// are created from the template, extra ones deleted cheapest first, finished
/// ones replaced, and the counts reported in `status`.
///
/// Level-triggered: every pass lists the ReplicaSets and the pods once and
/// decides from what the store says, so a restart (or a write lost to a
/// conflict) only means the next pass decides again.
struct ReplicaSetController: Sendable {
    let handler: ResourceHandler
    let logger: Logger

    /// Kubernetes' `burstReplicas`: at most this many creates or deletes per
    /// ReplicaSet and pass, so one huge scale does not starve the others.
    static let burst = 500

    private var access: ControllerAccess { ControllerAccess(handler: handler, component: "replicaset-controller") }

    func run() async {
        guard let replicaSets = access.resource("apps", "replicasets"), let pods = access.pods else { return }
        let clock = ContinuousClock()
        while !Task.isCancelled {
            let started = clock.now
            do {
                let sets = try await access.list(replicaSets)
                let podList = try await access.list(pods)
                let groups = ReplicaSetPodGroups(podList.objects)
                // What each pass costs however little changed: reading and grouping everything.
                let readCost = clock.now - started
                var due: Date?
                for replicaSet in sets.objects {
                    do {
                        if let next = try await sync(replicaSet, groups: groups, resource: replicaSets) {
                            due = min(due ?? next, next)
                        }
                    } catch {
                        logger.warning(
                            "replicaset controller: \(replicaSet.metadata.namespace ?? "")/\(replicaSet.metadata.name ?? ""): \(error)")
                    }
                }
                try await handler.waitForChange(
                    of: [(replicaSets, sets.revision), (pods, podList.revision)],
                    timeout: ControllerPacing.timeout(until: due, now: handler.now()),
                    settle: ControllerPacing.settle(after: readCost))
            } catch {
                if Task.isCancelled { return }
                logger.warning("replicaset controller: \(error)")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// One ReplicaSet's pass; returns when a pod will become available (the
    /// status must be written again then).
    private func sync(_ replicaSet: JSONValue, groups: ReplicaSetPodGroups, resource: ResourceKind) async throws(APIStatus)
        -> Date?
    {
        guard let uid = replicaSet.metadata.uid, let namespace = replicaSet.metadata.namespace,
            let selector = try? LabelSelector(json: replicaSet["spec"]["selector"]), !selector.isEverything
        else { return nil }
        var owned = groups.pods(controlledBy: uid)
        let deleting = replicaSet.metadata.deletionTimestamp != nil
        if !deleting {
            owned = try await releaseAndAdopt(replicaSet, owned: owned, orphans: groups.orphans(in: namespace), selector: selector)
            for pod in owned where PodState.isFinished(pod) && !PodState.isTerminating(pod) {
                try await deletePod(pod, of: replicaSet)
            }
            let active = owned.filter(PodState.isActive)
            let wanted = Int(replicaSet["spec"]["replicas"].int64Value ?? 1)
            if active.count < wanted {
                try await createPods(min(wanted - active.count, Self.burst), for: replicaSet)
            } else if active.count > wanted {
                let surplus = ReplicaSetPodRanking.deletionOrder(active).prefix(min(active.count - wanted, Self.burst))
                try await deletePods(Array(surplus), of: replicaSet)
            }
        }
        return try await writeStatus(replicaSet, owned: owned, resource: resource)
    }

    /// Drops the controller reference of owned pods that no longer match the
    /// selector, and takes uncontrolled matching ones (`ControllerRefManager`).
    /// Returns the pods controlled now.
    private func releaseAndAdopt(_ replicaSet: JSONValue, owned: [JSONValue], orphans: [JSONValue], selector: LabelSelector)
        async throws(APIStatus) -> [JSONValue]
    {
        guard let pods = access.pods, let uid = replicaSet.metadata.uid else { return owned }
        var kept: [JSONValue] = []
        for pod in owned {
            if selector.matches(pod.metadata.labels) || PodState.isTerminating(pod) {
                kept.append(pod)
                continue
            }
            var next = pod
            next.metadata.ownerReferences = pod.metadata.ownerReferences.filter { $0.uid != uid }
            _ = try await access.write(pods, current: pod, next: next)
        }
        for pod in orphans where PodState.isActive(pod) && selector.matches(pod.metadata.labels) {
            var next = pod
            next.metadata.ownerReferences = pod.metadata.ownerReferences + [
                OwnerReference(
                    apiVersion: "apps/v1", kind: "ReplicaSet", name: replicaSet.metadata.name ?? "", uid: uid,
                    controller: true, blockOwnerDeletion: true)
            ]
            // Another ReplicaSet adopting the same pod in this pass loses the compare-and-swap.
            if let adopted = try await access.write(pods, current: pod, next: next) { kept.append(adopted) }
        }
        return kept
    }

    /// Creates `count` pods in batches of 1, 2, 4, …, each batch concurrent
    /// (Kubernetes' slow start): a template that cannot work fails once, not
    /// `count` times, and a large scale still finishes in a few round trips.
    private func createPods(_ count: Int, for replicaSet: JSONValue) async throws(APIStatus) {
        guard let namespace = replicaSet.metadata.namespace, let name = replicaSet.metadata.name else { return }
        let template = replicaSet["spec"]["template"]
        let access = self.access
        var remaining = count
        var batch = 1
        while remaining > 0 {
            let size = min(batch, remaining)
            let failures = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<size {
                    group.addTask {
                        do throws(APIStatus) {
                            guard
                                let pod = try await access.createPod(
                                    from: template, owner: replicaSet, namespace: namespace, generateName: "\(name)-"),
                                let podName = pod.metadata.name
                            else { return false }
                            await access.event(replicaSet, reason: "SuccessfulCreate", message: "Created pod: \(podName)")
                            return true
                        } catch {
                            await access.event(
                                replicaSet, type: "Warning", reason: "FailedCreate", message: "Error creating: \(error.message)")
                            return false
                        }
                    }
                }
                var failures = 0
                for await created in group where !created { failures += 1 }
                return failures
            }
            if failures > 0 { return }
            remaining -= size
            batch *= 2
        }
    }

    private func deletePods(_ victims: [JSONValue], of replicaSet: JSONValue) async throws(APIStatus) {
        let controller = self
        await withTaskGroup(of: Void.self) { group in
            for pod in victims {
                group.addTask { try? await controller.deletePod(pod, of: replicaSet) }
            }
        }
    }

    private func deletePod(_ pod: JSONValue, of replicaSet: JSONValue) async throws(APIStatus) {
        guard let pods = access.pods, let name = pod.metadata.name else { return }
        try await access.delete(pods, namespace: pod.metadata.namespace, name: name, uid: pod.metadata.uid)
        await access.event(replicaSet, reason: "SuccessfulDelete", message: "Deleted pod: \(name)")
    }

    /// Writes the counts of the pods seen at the start of the pass (the next
    /// pass, woken by the pods just created or deleted, reports those), with
    /// zero counts left out as Go's `omitempty` does.
    private func writeStatus(_ replicaSet: JSONValue, owned: [JSONValue], resource: ResourceKind) async throws(APIStatus)
        -> Date?
    {
        let now = handler.now()
        let minReady = replicaSet["spec"]["minReadySeconds"].int64Value ?? 0
        let templateLabels = replicaSet["spec"]["template"]["metadata"]["labels"].stringMapValue ?? [:]
        let active = owned.filter(PodState.isActive)
        let fullyLabeled = active.filter { pod in
            let labels = pod.metadata.labels
            return templateLabels.allSatisfy { labels[$0.key] == $0.value }
        }
        var status = replicaSet["status"].objectValue == nil ? JSONValue.emptyObject : replicaSet["status"]
        status["replicas"] = .integer(Int64(active.count))
        status["fullyLabeledReplicas"] = Self.omitZero(fullyLabeled.count)
        status["readyReplicas"] = Self.omitZero(active.filter(PodState.isReady).count)
        status["availableReplicas"] = Self.omitZero(
            active.filter { PodState.isAvailable($0, minReadySeconds: minReady, now: now) }.count)
        status["observedGeneration"] = replicaSet.metadata.generation.map(JSONValue.integer) ?? .null
        if status != replicaSet["status"] {
            var next = replicaSet
            next["status"] = status
            try await access.writeStatus(resource, current: replicaSet, next: next)
        }
        return active.compactMap { PodState.availableAt($0, minReadySeconds: minReady, now: now) }.min()
    }

    private static func omitZero(_ count: Int) -> JSONValue {
        count == 0 ? .null : .integer(Int64(count))
    }
}
