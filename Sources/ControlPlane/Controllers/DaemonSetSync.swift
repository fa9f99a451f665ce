import Foundation
import SkiffAPI

/// One pass over one DaemonSet: create and delete pods node by node, advance
/// a rolling update within `maxUnavailable`, then write the status.
struct DaemonSetSync {
    let access: ControllerAccess
    let daemonSet: JSONValue
    let pods: [JSONValue]
    let nodes: [JSONValue]
    let now: Date

    private var name: String { daemonSet.metadata.name ?? "" }
    private var namespace: String { daemonSet.metadata.namespace ?? "default" }
    private var spec: JSONValue { daemonSet["spec"] }
    private var minReadySeconds: Int64 { spec["minReadySeconds"].int64Value ?? 0 }
    /// `ComputeHash(template, collisionCount)`, the `controller-revision-hash` of the pods.
    private var hash: String {
        PodTemplateHash.compute(spec["template"], collisionCount: daemonSet["status"]["collisionCount"].int64Value)
    }

    private func isUpdated(_ pod: JSONValue) -> Bool { pod.metadata.labels["controller-revision-hash"] == hash }

    private func isAvailable(_ pod: JSONValue) -> Bool {
        PodState.isAvailable(pod, minReadySeconds: minReadySeconds, now: now)
    }

    /// Returns when to look again for availability (`minReadySeconds`).
    func run(sets: ResourceKind) async throws(APIStatus) -> Date? {
        let candidate = DaemonSetPlacement.pod(from: spec["template"])
        let nodeNames = Set(nodes.compactMap(\.metadata.name))
        var byNode: [String: [JSONValue]] = [:]
        for pod in pods where !PodState.isTerminating(pod) {
            guard let node = DaemonSetPlacement.node(of: pod), nodeNames.contains(node) else {
                // Its node is gone: so is the pod, at once, as the pod GC deletes such pods.
                try await deletePod(pod, gracePeriod: 0)
                continue
            }
            if pod["status"]["phase"].stringValue == "Failed" {
                await access.event(
                    daemonSet, type: "Warning", reason: "FailedDaemonPod",
                    message: "Found failed daemon pod \(namespace)/\(pod.metadata.name ?? "") on node \(node), will try to kill it")
                try await deletePod(pod)
                continue
            }
            byNode[node, default: []].append(pod)
        }
        var oldPods: [JSONValue] = []
        var unavailable = 0
        var desired = 0
        for node in nodes {
            guard let nodeName = node.metadata.name else { continue }
            let here = (byNode[nodeName] ?? []).sorted { ($0.metadata.creationTimestamp ?? "") < ($1.metadata.creationTimestamp ?? "") }
            if DaemonSetPlacement.shouldRun(candidate, on: node) {
                desired += 1
                if here.isEmpty {
                    try await createPod(candidate, on: nodeName)
                    unavailable += 1
                    continue
                }
                // One per node: the oldest stays.
                for extra in here.dropFirst() { try await deletePod(extra) }
                if let pod = here.first {
                    if !isAvailable(pod) { unavailable += 1 }
                    if !isUpdated(pod) { oldPods.append(pod) }
                }
            } else if !DaemonSetPlacement.shouldContinueRunning(candidate, on: node) {
                for pod in here { try await deletePod(pod) }
            }
        }
        try await rollOut(oldPods, desired: desired, unavailable: unavailable)
        return try await writeStatus(sets: sets, candidate: candidate, byNode: byNode)
    }

    /// RollingUpdate: outdated pods that are not available go at once, the
    /// others only while fewer than `maxUnavailable` nodes lack an available pod.
    private func rollOut(_ oldPods: [JSONValue], desired: Int, unavailable: Int) async throws(APIStatus) {
        guard spec["updateStrategy"]["type"].stringValue ?? "RollingUpdate" == "RollingUpdate" else { return }
        var budget = maxUnavailable(desired: desired) - unavailable
        for pod in oldPods where !isAvailable(pod) { try await deletePod(pod) }
        for pod in oldPods where isAvailable(pod) && budget > 0 {
            try await deletePod(pod)
            budget -= 1
        }
    }

    /// `maxUnavailable` as a number or a percentage of the desired count
    /// (rounded up), at least one.
    private func maxUnavailable(desired: Int) -> Int {
        let value = spec["updateStrategy"]["rollingUpdate"]["maxUnavailable"]
        if let number = value.int64Value { return max(1, Int(number)) }
        if let text = value.stringValue, text.hasSuffix("%"), let percent = Int(text.dropLast()) {
            return max(1, (desired * percent + 99) / 100)
        }
        return 1
    }

    private func createPod(_ candidate: JSONValue, on node: String) async throws(APIStatus) {
        var template = spec["template"]
        template["spec"] = candidate["spec"]
        DaemonSetPlacement.pin(&template, to: node)
        let labels = [
            "controller-revision-hash": hash,
            "pod-template-generation": String(daemonSet.metadata.generation ?? 1),
        ]
        let created: JSONValue?
        do {
            created = try await access.createPod(
                from: template, owner: daemonSet, namespace: namespace, generateName: "\(name)-", labels: labels)
        } catch {
            await access.event(daemonSet, type: "Warning", reason: "FailedCreate", message: "Error creating: \(error.message)")
            return
        }
        guard let pod = created else { return }
        await access.event(daemonSet, reason: "SuccessfulCreate", message: "Created pod: \(pod.metadata.name ?? "")")
    }

    private func deletePod(_ pod: JSONValue, gracePeriod: Int64? = nil) async throws(APIStatus) {
        guard let resource = access.pods, let podName = pod.metadata.name else { return }
        try await access.delete(resource, namespace: namespace, name: podName, uid: pod.metadata.uid, gracePeriod: gracePeriod)
        await access.event(daemonSet, reason: "SuccessfulDelete", message: "Deleted pod: \(podName)")
    }

    /// apps/v1 DaemonSetStatus from the pods as they were at the start of the
    /// pass (the next pass sees what this one changed).
    private func writeStatus(sets: ResourceKind, candidate: JSONValue, byNode: [String: [JSONValue]])
        async throws(APIStatus) -> Date?
    {
        var desired = 0, scheduled = 0, ready = 0, available = 0, updated = 0, misscheduled = 0
        var wake: Date?
        for node in nodes {
            guard let nodeName = node.metadata.name else { continue }
            let here = (byNode[nodeName] ?? []).sorted { ($0.metadata.creationTimestamp ?? "") < ($1.metadata.creationTimestamp ?? "") }
            guard DaemonSetPlacement.shouldRun(candidate, on: node) else {
                if !here.isEmpty { misscheduled += 1 }
                continue
            }
            desired += 1
            guard let pod = here.first else { continue }
            scheduled += 1
            if PodState.isReady(pod) { ready += 1 }
            if isAvailable(pod) { available += 1 }
            if here.contains(where: isUpdated) { updated += 1 }
            if let at = PodState.availableAt(pod, minReadySeconds: minReadySeconds, now: now) { wake = min(wake ?? at, at) }
        }
        var status = daemonSet["status"].objectValue == nil ? JSONValue.emptyObject : daemonSet["status"]
        status["desiredNumberScheduled"] = .integer(Int64(desired))
        status["currentNumberScheduled"] = .integer(Int64(scheduled))
        status["numberMisscheduled"] = .integer(Int64(misscheduled))
        status["numberReady"] = .integer(Int64(ready))
        status["numberAvailable"] = available > 0 ? .integer(Int64(available)) : .null
        status["numberUnavailable"] = desired > available ? .integer(Int64(desired - available)) : .null
        status["updatedNumberScheduled"] = updated > 0 ? .integer(Int64(updated)) : .null
        status["observedGeneration"] = daemonSet.metadata.generation.map(JSONValue.integer) ?? .null
        status = status.removingNullFields()
        if status != daemonSet["status"] {
            var next = daemonSet
            next["status"] = status
            try await access.writeStatus(sets, current: daemonSet, next: next)
        }
        return wake
    }
}
