import Foundation
import Logging
import SkiffAPI

/// Binds pods that name no node to one that can run them, as kube-scheduler
/// does (run inside the server): filters (resources against allocatable,
/// nodeSelector and required node affinity, taints and tolerations,
/// unschedulable and not-ready nodes, host ports, pod count), then the least
/// allocated node, spreading a controller's pods. A pod that fits nowhere
/// stays Pending with PodScheduled=False and a `FailedScheduling` event that
/// says why.
struct Scheduler: Sendable {
    let handler: ResourceHandler
    let logger: Logger

    private var pods: ResourceKind? { handler.registry.resource(group: "", version: "v1", plural: "pods") }
    private var nodes: ResourceKind? { handler.registry.resource(group: "", version: "v1", plural: "nodes") }
    private var events: ResourceKind? { handler.registry.resource(group: "", version: "v1", plural: "events") }

    func run() async {
        guard let pods, let nodes else { return }
        while !Task.isCancelled {
            do {
                let podPage = try await handler.store.list(pods, namespace: nil, limit: nil, continueAfter: nil, atRevision: nil)
                let all = podPage.objects.map(\.1)
                let pending = all.filter {
                    ($0["spec"]["nodeName"].stringValue ?? "").isEmpty && $0.metadata.deletionTimestamp == nil
                        && ($0["spec"]["schedulerName"].stringValue ?? "default-scheduler") == "default-scheduler"
                }
                let nodeList = pending.isEmpty ? [] : try await handler.store.list(
                    nodes, namespace: nil, limit: nil, continueAfter: nil, atRevision: nil
                ).objects.map(\.1)
                // With no node registered at all (a control plane whose agents have not
                // joined yet) pods are left untouched, not marked unschedulable one by one.
                if !pending.isEmpty, !nodeList.isEmpty {
                    var placed = all.filter { !($0["spec"]["nodeName"].stringValue ?? "").isEmpty && !Self.finished($0) }
                    for pod in pending {
                        if let bound = try await schedule(pod, nodes: nodeList, placed: placed) { placed.append(bound) }
                    }
                }
                // Pod events wake it; while pods wait for room it also looks again every
                // second (nodes change too), otherwise rarely, to stay cheap when idle.
                try await handler.waitForChange(
                    of: pods, after: podPage.revision, timeout: pending.isEmpty ? .seconds(30) : .seconds(1))
            } catch {
                if Task.isCancelled { return }
                logger.warning("scheduler: \(error)")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private static func finished(_ pod: JSONValue) -> Bool {
        let phase = pod["status"]["phase"].stringValue
        return phase == "Succeeded" || phase == "Failed"
    }

    /// Binds the pod and returns it as bound, or records why it cannot be.
    private func schedule(_ pod: JSONValue, nodes: [JSONValue], placed: [JSONValue]) async throws(APIStatus) -> JSONValue? {
        var feasible: [(node: JSONValue, score: Double, spread: Int)] = []
        var reasons: [[String]] = []
        let wanted = PodRequests(pod)
        let owner = pod.metadata.controllerReference?.uid
        for node in nodes {
            guard let name = node.metadata.name else { continue }
            let here = placed.filter { $0["spec"]["nodeName"].stringValue == name }
            var why = SchedulingFilter.reasons(pod: pod, node: node, podsOnNode: here)
            let ready = node["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "Ready" }?["status"].stringValue
            if ready != "True", !SchedulingFilter.tolerates(pod, key: "node.kubernetes.io/not-ready", value: nil, effect: "NoSchedule") {
                why.append("node(s) had untolerated taint {node.kubernetes.io/not-ready: }")
            }
            guard why.isEmpty else {
                reasons.append(why)
                continue
            }
            let allocatable = node["status"]["allocatable"]
            let cpu = Double(allocatable["cpu"].stringValue.flatMap { try? Quantity(parsing: $0) }?.milliValue ?? 1)
            let memory = Double(allocatable["memory"].stringValue.flatMap { try? Quantity(parsing: $0) }?.value ?? 1)
            let used = here.map(PodRequests.init)
            let cpuUsed = Double(used.reduce(0) { $0 + $1.cpuMillis } + wanted.cpuMillis)
            let memoryUsed = Double(used.reduce(0) { $0 + $1.memoryBytes } + wanted.memoryBytes)
            // LeastAllocated: the node with the most left over scores best.
            let score = (max(0, 1 - cpuUsed / max(cpu, 1)) + max(0, 1 - memoryUsed / max(memory, 1))) / 2
            let siblings = owner.map { uid in here.filter { $0.metadata.controllerReference?.uid == uid }.count } ?? 0
            feasible.append((node, score, siblings))
        }
        let best = feasible.sorted {
            if $0.spread != $1.spread { return $0.spread < $1.spread }
            if $0.score != $1.score { return $0.score > $1.score }
            return ($0.node.metadata.name ?? "") < ($1.node.metadata.name ?? "")
        }.first
        guard let target = best?.node.metadata.name else {
            try await unschedulable(pod, message: SchedulingFilter.message(nodeCount: nodes.count, reasons: reasons))
            return nil
        }
        return try await bind(pod, to: target)
    }

    private func bind(_ pod: JSONValue, to node: String) async throws(APIStatus) -> JSONValue? {
        guard let pods, let revision = pod.metadata.resourceVersion.flatMap(Int64.init) else { return nil }
        var next = pod
        next["spec"]["nodeName"] = .string(node)
        next["status"]["conditions"] = .array(Self.condition(pod, status: "True", reason: nil, message: nil, now: handler.now()))
        do {
            _ = try await handler.store.update(pods, next.removingNullFields(), expected: StorageRevision(revision))
        } catch where error.code == 409 || error.code == 404 {
            return nil
        }
        await event(pod, type: "Normal", reason: "Scheduled",
                    message: "Successfully assigned \(pod.metadata.namespace ?? "default")/\(pod.metadata.name ?? "") to \(node)")
        return next
    }

    private func unschedulable(_ pod: JSONValue, message: String) async throws(APIStatus) {
        guard let pods, let revision = pod.metadata.resourceVersion.flatMap(Int64.init) else { return }
        let current = pod["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "PodScheduled" }
        guard current?["message"].stringValue != message else { return }
        var next = pod
        next["status"]["phase"] = "Pending"
        next["status"]["conditions"] = .array(
            Self.condition(pod, status: "False", reason: "Unschedulable", message: message, now: handler.now()))
        do {
            _ = try await handler.store.update(pods, next.removingNullFields(), expected: StorageRevision(revision))
        } catch where error.code == 409 || error.code == 404 {
            return
        }
        await event(pod, type: "Warning", reason: "FailedScheduling", message: message)
    }

    private static func condition(_ pod: JSONValue, status: String, reason: String?, message: String?, now: Date) -> [JSONValue] {
        var conditions = pod["status"]["conditions"].arrayValue ?? []
        conditions.removeAll { $0["type"].stringValue == "PodScheduled" }
        var condition: JSONValue = [
            "type": "PodScheduled", "status": .string(status), "lastProbeTime": .null,
            "lastTransitionTime": .string(RFC3339.format(now)),
        ]
        if let reason { condition["reason"] = .string(reason) }
        if let message { condition["message"] = .string(message) }
        conditions.append(condition)
        return conditions
    }

    private func event(_ pod: JSONValue, type: String, reason: String, message: String) async {
        guard let events, let namespace = pod.metadata.namespace, let name = pod.metadata.name else { return }
        let stamp = RFC3339.format(handler.now())
        let object: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string("\(name).\(String(UInt64(handler.now().timeIntervalSince1970 * 1e9), radix: 16))"),
                         "namespace": .string(namespace)],
            "involvedObject": ["kind": "Pod", "apiVersion": "v1", "namespace": .string(namespace), "name": .string(name),
                               "uid": .string(pod.metadata.uid ?? "")],
            "reason": .string(reason), "message": .string(message), "type": .string(type),
            "source": ["component": "default-scheduler"], "reportingComponent": "default-scheduler",
            "firstTimestamp": .string(stamp), "lastTimestamp": .string(stamp), "count": 1,
        ]
        _ = try? await handler.createObject(object, Scope(resource: events, namespace: namespace), fieldValidation: nil)
    }
}
