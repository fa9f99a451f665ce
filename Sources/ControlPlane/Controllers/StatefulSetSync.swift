import Foundation
import SkiffAPI

/// One pass over one StatefulSet: at most the next step of its rollout
/// (OrderedReady), then its status.
struct StatefulSetSync {
    let access: ControllerAccess
    let statefulSet: JSONValue
    let pods: [JSONValue]
    let claims: [JSONValue]
    let claimResource: ResourceKind
    let now: Date

    private var name: String { statefulSet.metadata.name ?? "" }
    private var namespace: String { statefulSet.metadata.namespace ?? "default" }
    private var spec: JSONValue { statefulSet["spec"] }
    private var replicas: Int { Int(spec["replicas"].int64Value ?? 1) }
    private var start: Int { Int(spec["ordinals"]["start"].int64Value ?? 0) }
    private var range: Range<Int> { start..<(start + replicas) }
    private var parallel: Bool { spec["podManagementPolicy"].stringValue == "Parallel" }
    private var minReadySeconds: Int64 { spec["minReadySeconds"].int64Value ?? 0 }
    /// `<set>-<hash>`, what `controller-revision-hash` and the status name.
    var updateRevision: String { "\(name)-\(PodTemplateHash.compute(spec["template"], collisionCount: nil))" }

    /// The pods this set made, by ordinal (`<set>-<ordinal>`).
    private var byOrdinal: [Int: JSONValue] {
        var result: [Int: JSONValue] = [:]
        for pod in pods {
            guard let ordinal = ordinal(of: pod.metadata.name ?? "", prefix: "\(name)-") else { continue }
            result[ordinal] = pod
        }
        return result
    }

    private func ordinal(of podName: String, prefix: String) -> Int? {
        guard podName.hasPrefix(prefix) else { return nil }
        let digits = podName.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return Int(digits)
    }

    private static func isRunningAndReady(_ pod: JSONValue) -> Bool {
        pod["status"]["phase"].stringValue == "Running" && PodState.isReady(pod) && !PodState.isTerminating(pod)
    }

    private static func revision(of pod: JSONValue) -> String? { pod.metadata.labels["controller-revision-hash"] }

    /// Returns when to look again for availability (`minReadySeconds`).
    func run(sets: ResourceKind) async throws(APIStatus) -> Date? {
        try await reconcile()
        return try await writeStatus(sets: sets)
    }

    private func reconcile() async throws(APIStatus) {
        let pods = byOrdinal
        // Finished pods (a container exit with restartPolicy Never) are replaced.
        for (_, pod) in pods where PodState.isFinished(pod) && !PodState.isTerminating(pod) {
            try await deletePod(pod)
        }
        var healthy = true
        for ordinal in range {
            guard let pod = pods[ordinal], !PodState.isFinished(pod) else {
                if pods[ordinal] == nil { try await createPod(ordinal) }
                healthy = false
                if parallel { continue } else { return }
            }
            if !Self.isRunningAndReady(pod) {
                healthy = false
                if !parallel { return }
            }
        }
        // Scale down: the highest ordinal first, one at a time unless Parallel.
        let condemned = pods.filter { !range.contains($0.key) }.sorted { $0.key > $1.key }
        if condemned.contains(where: { PodState.isTerminating($0.value) }), !parallel { return }
        for (_, pod) in condemned where !PodState.isTerminating(pod) {
            if !parallel, !healthy { return }
            try await deletePod(pod)
            if !parallel { return }
        }
        try await deleteScaledClaims(pods)
        guard condemned.isEmpty, healthy, spec["updateStrategy"]["type"].stringValue ?? "RollingUpdate" == "RollingUpdate"
        else { return }
        // Rolling update: the highest outdated ordinal at or above the partition, one at a time.
        let partition = Int(spec["updateStrategy"]["rollingUpdate"]["partition"].int64Value ?? 0)
        for ordinal in range.reversed() where ordinal >= start + partition {
            guard let pod = pods[ordinal], Self.revision(of: pod) != updateRevision else { continue }
            try await deletePod(pod)
            return
        }
    }

    private func createPod(_ ordinal: Int) async throws(APIStatus) {
        let podName = "\(name)-\(ordinal)"
        let templates = spec["volumeClaimTemplates"].arrayValue ?? []
        for template in templates {
            guard let claimName = template.metadata.name else { continue }
            try await ensureClaim(template, name: "\(claimName)-\(podName)", podName: podName)
        }
        let serviceName = spec["serviceName"].stringValue ?? ""
        let labels = [
            "statefulset.kubernetes.io/pod-name": podName, "apps.kubernetes.io/pod-index": String(ordinal),
            "controller-revision-hash": updateRevision,
        ]
        let created: JSONValue?
        do {
            created = try await access.createPod(
                from: spec["template"], owner: statefulSet, namespace: namespace, name: podName, labels: labels,
                mutate: { identify(&$0, podName: podName, serviceName: serviceName, templates: templates) })
        } catch {
            await access.event(
                statefulSet, type: "Warning", reason: "FailedCreate",
                message: "create Pod \(podName) in StatefulSet \(name) failed error: \(error.message)")
            return
        }
        guard created != nil else { return }
        await access.event(
            statefulSet, reason: "SuccessfulCreate", message: "create Pod \(podName) in StatefulSet \(name) successful")
    }

    /// The pod's stable identity: hostname, subdomain and its own claims in place of the template's volumes.
    private func identify(_ pod: inout JSONValue, podName: String, serviceName: String, templates: [JSONValue]) {
        pod["spec"]["hostname"] = .string(podName)
        if !serviceName.isEmpty { pod["spec"]["subdomain"] = .string(serviceName) }
        var volumes = pod["spec"]["volumes"].arrayValue ?? []
        for template in templates {
            guard let claimName = template.metadata.name else { continue }
            let volume: JSONValue = [
                "name": .string(claimName), "persistentVolumeClaim": ["claimName": .string("\(claimName)-\(podName)")],
            ]
            volumes.removeAll { $0["name"].stringValue == claimName }
            volumes.append(volume)
        }
        if !volumes.isEmpty { pod["spec"]["volumes"] = .array(volumes) }
    }

    /// The claim `<template>-<set>-<ordinal>`, created once and then left
    /// alone: it outlives its pods.
    private func ensureClaim(_ template: JSONValue, name claimName: String, podName: String) async throws(APIStatus) {
        guard !claims.contains(where: { $0.metadata.name == claimName }) else { return }
        var meta = template["metadata"]
        meta["name"] = .string(claimName)
        meta["namespace"] = .string(namespace)
        meta["creationTimestamp"] = .null
        for (key, value) in spec["selector"]["matchLabels"].stringMapValue ?? [:] { meta["labels"][key] = .string(value) }
        if spec["persistentVolumeClaimRetentionPolicy"]["whenDeleted"].stringValue == "Delete" {
            meta["ownerReferences"] = [ControllerAccess.controllerReference(to: statefulSet)]
        }
        let claim: JSONValue = [
            "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta.removingNullFields(),
            "spec": template["spec"],
        ]
        do {
            guard try await access.create(claimResource, claim, namespace: namespace) != nil else { return }
        } catch {
            await access.event(
                statefulSet, type: "Warning", reason: "FailedCreate",
                message: "create Claim \(claimName) for Pod \(podName) in StatefulSet \(name) failed error: \(error.message)")
            throw error
        }
        await access.event(
            statefulSet, reason: "SuccessfulCreate",
            message: "create Claim \(claimName) Pod \(podName) in StatefulSet \(name) success")
    }

    /// `whenScaled: Delete`: the claims of ordinals above the replicas go once their pod is gone.
    private func deleteScaledClaims(_ pods: [Int: JSONValue]) async throws(APIStatus) {
        guard spec["persistentVolumeClaimRetentionPolicy"]["whenScaled"].stringValue == "Delete" else { return }
        for template in spec["volumeClaimTemplates"].arrayValue ?? [] {
            guard let templateName = template.metadata.name else { continue }
            for claim in claims where claim.metadata.deletionTimestamp == nil {
                guard let claimName = claim.metadata.name,
                    let ordinal = ordinal(of: claimName, prefix: "\(templateName)-\(name)-"),
                    !range.contains(ordinal), pods[ordinal] == nil
                else { continue }
                try await access.delete(claimResource, namespace: namespace, name: claimName, uid: claim.metadata.uid)
            }
        }
    }

    private func deletePod(_ pod: JSONValue) async throws(APIStatus) {
        guard let resource = access.pods, let podName = pod.metadata.name else { return }
        try await access.delete(resource, namespace: namespace, name: podName, uid: pod.metadata.uid)
        await access.event(
            statefulSet, reason: "SuccessfulDelete", message: "delete Pod \(podName) in StatefulSet \(name) successful")
    }

    /// Writes the counts apps/v1 reports; `currentRevision` follows
    /// `updateRevision` once every replica runs the new template.
    private func writeStatus(sets: ResourceKind) async throws(APIStatus) -> Date? {
        let live = pods.filter { !PodState.isTerminating($0) }
        let ready = live.filter(Self.isRunningAndReady)
        let available = ready.filter { PodState.isAvailable($0, minReadySeconds: minReadySeconds, now: now) }
        let update = updateRevision
        var current = statefulSet["status"]["currentRevision"].stringValue ?? update
        if current.isEmpty { current = update }
        let updated = live.filter { Self.revision(of: $0) == update }.count
        var currentCount = live.filter { Self.revision(of: $0) == current }.count
        if updated == replicas, live.count == replicas, ready.count == replicas {
            current = update
            currentCount = updated
        }
        var status = statefulSet["status"].objectValue == nil ? JSONValue.emptyObject : statefulSet["status"]
        status["observedGeneration"] = statefulSet.metadata.generation.map(JSONValue.integer) ?? .null
        status["replicas"] = .integer(Int64(live.count))
        status["readyReplicas"] = ready.isEmpty ? .null : .integer(Int64(ready.count))
        status["availableReplicas"] = .integer(Int64(available.count))
        status["currentReplicas"] = currentCount == 0 ? .null : .integer(Int64(currentCount))
        status["updatedReplicas"] = updated == 0 ? .null : .integer(Int64(updated))
        status["currentRevision"] = .string(current)
        status["updateRevision"] = .string(update)
        if status["collisionCount"].isNull { status["collisionCount"] = 0 }
        status = status.removingNullFields()
        if status != statefulSet["status"] {
            var next = statefulSet
            next["status"] = status
            try await access.writeStatus(sets, current: statefulSet, next: next)
        }
        return ready.compactMap { PodState.availableAt($0, minReadySeconds: minReadySeconds, now: now) }.min()
    }
}
