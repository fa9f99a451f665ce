import Foundation
import Logging
import SkiffAPI
import StartTrace

/// Binds pods that name no node to one that can run them, as kube-scheduler
/// does (run inside the server): filters (resources against allocatable,
/// nodeSelector and required node affinity, taints and tolerations,
/// unschedulable and not-ready nodes, host ports, pod count), then the least
/// allocated node, spreading a controller's pods. A pod that fits nowhere
/// stays Pending with PodScheduled=False and a `FailedScheduling` event that
/// says why.
///
/// Built for a node of a thousand pods: a pass decides every pending pod in
/// memory (`plan`, against per-node totals), then writes the bindings a few
/// dozen at once; it sleeps until a change that can give it work
/// (`SchedulerWake`), then lets a burst settle before reading again.
struct Scheduler: Sendable {
    let handler: ResourceHandler
    let logger: Logger

    private var pods: ResourceKind? { handler.registry.resource(group: "", version: "v1", plural: "pods") }
    private var nodes: ResourceKind? { handler.registry.resource(group: "", version: "v1", plural: "nodes") }
    private var events: ResourceKind? { handler.registry.resource(group: "", version: "v1", plural: "events") }

    func run() async {
        guard let pods, let nodes else { return }
        let wake = SchedulerWake(handler: handler, pods: pods, nodes: nodes)
        let clock = ContinuousClock()
        while !Task.isCancelled {
            let started = clock.now
            do {
                let podPage = try await handler.store.list(pods, namespace: nil, limit: nil, continueAfter: nil, atRevision: nil)
                let all = podPage.objects.map(\.1)
                let pending = all.filter(Self.waitsForNode)
                let nodePage = try await handler.store.list(nodes, namespace: nil, limit: nil, continueAfter: nil, atRevision: nil)
                // What every pass costs however little changed: reading everything.
                let readCost = clock.now - started
                // With no node registered at all (a control plane whose agents have not
                // joined yet) pods are left untouched, not marked unschedulable one by one.
                var waiting: Set<String> = []
                if !pending.isEmpty, !nodePage.objects.isEmpty {
                    let placed = all.filter { !($0["spec"]["nodeName"].stringValue ?? "").isEmpty && !Self.finished($0) }
                    let plan = Self.plan(pending, nodes: nodePage.objects.map(\.1), placed: placed)
                    for (pod, placement) in plan {
                        if case .unschedulable = placement { waiting.insert(key(pod, pods)) }
                    }
                    try await BoundedParallelism.forEach(plan) { step throws(APIStatus) in
                        let (pod, placement) = step
                        switch placement {
                        case .bind(let node): _ = try await bind(pod, to: node)
                        case .unschedulable(let message): try await unschedulable(pod, message: message)
                        }
                    }
                } else {
                    waiting = Set(pending.map { key($0, pods) })
                }
                // New pods to place wake it; while pods wait for room so do deletions and
                // nodes, with a look every few seconds anyway; otherwise it stays asleep.
                // A burst gathers for twice what its reads cost, so a thousand pods
                // created (or churning) cost a few passes, not one list of everything
                // per change, and reading them takes at most a third of a core.
                let passEnded = clock.now
                try await wake.next(
                    podsAfter: podPage.revision, nodesAfter: nodePage.revision, waiting: waiting,
                    timeout: waiting.isEmpty ? .seconds(30) : ControllerPacing.timeout(until: nil, now: handler.now()))
                // Leading edge, and no 25 ms floor: the settle counts from the end of
                // the last pass, so a pod created after a pause (even one of 20 ms,
                // pods started one after another) is placed at once, while passes in
                // a burst stay twice their read cost apart. The floor made a lone pod
                // wait ~8 ms, a quarter of its start (docs/benchmarks/pod-start.md).
                let due = passEnded + ControllerPacing.settle(after: readCost, floor: .milliseconds(1))
                if clock.now < due { try await Task.sleep(until: due, clock: clock) }
            } catch {
                if Task.isCancelled { return }
                logger.warning("scheduler: \(error)")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// A pod this scheduler must place: no node yet, not being deleted, ours,
    /// and no `schedulingGates` left (a gated pod waits for whoever holds the
    /// gate; the API refuses a binding while one remains).
    static func waitsForNode(_ pod: JSONValue) -> Bool {
        (pod["spec"]["nodeName"].stringValue ?? "").isEmpty && pod.metadata.deletionTimestamp == nil
            && (pod["spec"]["schedulerName"].stringValue ?? "default-scheduler") == "default-scheduler"
            && (pod["spec"]["schedulingGates"].arrayValue ?? []).isEmpty
    }

    static func finished(_ pod: JSONValue) -> Bool {
        let phase = pod["status"]["phase"].stringValue
        return phase == "Succeeded" || phase == "Failed"
    }

    /// Where each pending pod goes, or why it cannot go anywhere, decided in
    /// order as kube-scheduler does one pod at a time: each placement counts
    /// against its node for the pods after it. The writes come after, many
    /// at once; one that fails (the pod changed meanwhile) only leaves that
    /// pod for the next pass.
    static func plan(_ pending: [JSONValue], nodes: [JSONValue], placed: [JSONValue]) -> [(JSONValue, Placement)] {
        var rooms = nodes.compactMap(NodeRoom.init)
        var slot: [String: Int] = [:]
        for (index, room) in rooms.enumerated() { slot[room.name] = index }
        for pod in placed {
            guard let index = pod["spec"]["nodeName"].stringValue.flatMap({ slot[$0] }) else { continue }
            rooms[index].add(pod, requests: PodRequests(pod))
        }
        return pending.map { pod in
            let wanted = PodRequests(pod)
            let owner = pod.metadata.controllerReference?.uid
            var reasons: [[String]] = []
            var best: (index: Int, score: Double, spread: Int)?
            for (index, room) in rooms.enumerated() {
                let why = room.reasons(for: pod, wanting: wanted)
                guard why.isEmpty else {
                    reasons.append(why)
                    continue
                }
                let candidate = (index: index, score: room.score(wanting: wanted), spread: room.siblings(of: owner))
                if let current = best, !Self.better(candidate, than: current, rooms) { continue }
                best = candidate
            }
            guard let best else {
                return (pod, .unschedulable(SchedulingFilter.message(nodeCount: nodes.count, reasons: reasons)))
            }
            rooms[best.index].add(pod, requests: wanted)
            return (pod, .bind(rooms[best.index].name))
        }
    }

    /// The store key of `pod`, as watch events name it.
    private func key(_ pod: JSONValue, _ pods: ResourceKind) -> String {
        ObjectStore.key(pods, namespace: pod.metadata.namespace, name: pod.metadata.name ?? "")
    }

    enum Placement: Sendable {
        case bind(String)
        case unschedulable(String)
    }

    /// Fewest of the controller's pods first (spreading), then the least
    /// allocated node, then the name, so equal nodes are chosen the same way every time.
    private static func better(
        _ a: (index: Int, score: Double, spread: Int), than b: (index: Int, score: Double, spread: Int), _ rooms: [NodeRoom]
    ) -> Bool {
        if a.spread != b.spread { return a.spread < b.spread }
        if a.score != b.score { return a.score > b.score }
        return rooms[a.index].name < rooms[b.index].name
    }

    private func bind(_ pod: JSONValue, to node: String) async throws(APIStatus) -> JSONValue? {
        guard let pods, let revision = pod.metadata.resourceVersion.flatMap(Int64.init) else { return nil }
        StartTrace.mark("scheduler.placed", namespace: pod.metadata.namespace, name: pod.metadata.name)
        var next = pod
        next["spec"]["nodeName"] = .string(node)
        next["status"]["conditions"] = .array(Self.condition(pod, status: "True", reason: nil, message: nil, now: handler.now()))
        do {
            _ = try await handler.store.update(pods, next.removingNullFields(), expected: StorageRevision(revision))
        } catch where error.code == 409 || error.code == 404 {
            return nil
        }
        StartTrace.mark("scheduler.bound", namespace: pod.metadata.namespace, name: pod.metadata.name)
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
