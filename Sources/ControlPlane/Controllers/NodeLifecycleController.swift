import Foundation
import Logging
import SkiffAPI

/// Notices nodes that stopped reporting, as kube-controller-manager's node
/// lifecycle controller does: a node whose Lease and status have not moved
/// for `gracePeriod` gets its conditions set to Unknown, the `unreachable`
/// taints, and its pods marked not ready (so Services stop sending to them);
/// pods are then evicted by the NoExecute taint once their toleration runs
/// out (300 s unless the pod says otherwise), so their controllers replace
/// them on other nodes. A node that reports again loses the taints. Pods
/// bound to a node that no longer exists are deleted (the pod GC).
///
/// Staleness is measured from when this controller saw the node's heartbeat
/// change, not from the timestamps in the objects: after a control plane
/// restart every node gets the full grace period again instead of being
/// declared dead on the clock of a previous run.
struct NodeLifecycleController: Sendable {
    let handler: ResourceHandler
    let logger: Logger
    /// kube-controller-manager's `--node-monitor-grace-period` (40 s in 1.32).
    var gracePeriod: Duration = .seconds(40)

    private var access: ControllerAccess { ControllerAccess(handler: handler, component: "node-controller") }
    private var evictions: ControllerAccess { ControllerAccess(handler: handler, component: "taint-eviction-controller") }

    static let unreachable = "node.kubernetes.io/unreachable"
    static let notReady = "node.kubernetes.io/not-ready"
    /// What the DefaultTolerationSeconds admission plugin gives every pod.
    static let defaultTolerationSeconds: Int64 = 300

    func run() async {
        guard let nodes = access.resource("", "nodes"), let leases = access.resource("coordination.k8s.io", "leases"),
            let pods = access.pods
        else { return }
        var health = NodeHealth()
        var lastOrphanSweep = ContinuousClock.now - .seconds(3600)
        while !Task.isCancelled {
            do {
                let (nodeList, revision) = try await access.list(nodes)
                let leaseList = try await access.list(leases, namespace: "kube-node-lease").objects
                let now = handler.now()
                let observed = ContinuousClock.now
                var leaseByNode: [String: JSONValue] = [:]
                for lease in leaseList { if let name = lease.metadata.name { leaseByNode[name] = lease } }
                health.forget(except: Set(nodeList.compactMap(\.metadata.name)))
                var tainted: [String: [JSONValue]] = [:]
                for node in nodeList {
                    guard let name = node.metadata.name else { continue }
                    let beat = Self.heartbeat(node, lease: leaseByNode[name])
                    let silent = health.silence(of: name, heartbeat: beat, at: observed)
                    let current = try await monitor(node, silentFor: silent, now: now, nodes: nodes, pods: pods)
                    let noExecute = (current["spec"]["taints"].arrayValue ?? []).filter { $0["effect"].stringValue == "NoExecute" }
                    if !noExecute.isEmpty { tainted[name] = noExecute }
                }
                // Pods are read only when some node is tainted, and now and then for
                // orphans: this loop runs every two seconds on a node of 1,000 pods.
                let sweepOrphans = observed - lastOrphanSweep > .seconds(20)
                if sweepOrphans { lastOrphanSweep = observed }
                let podList = tainted.isEmpty && !sweepOrphans ? [] : try await access.list(pods).objects
                let known = Set(nodeList.compactMap(\.metadata.name))
                var nextEviction: Date?
                for pod in podList {
                    guard let nodeName = pod["spec"]["nodeName"].stringValue, !nodeName.isEmpty else { continue }
                    if !known.contains(nodeName) {
                        try await collectOrphan(pod, node: nodeName, pods: pods)
                    } else if let taints = tainted[nodeName], pod.metadata.deletionTimestamp == nil {
                        if let due = try await evictIfDue(pod, taints: taints, now: now, pods: pods) {
                            nextEviction = min(nextEviction ?? due, due)
                        }
                    }
                }
                // Look again when a node may go silent or a toleration runs out.
                var wait = Duration.seconds(2)
                if let nextEviction {
                    let seconds = max(0.2, nextEviction.timeIntervalSince(handler.now()))
                    wait = min(wait, .milliseconds(Int64(seconds * 1000)))
                }
                try await handler.waitForChange(of: nodes, after: revision, timeout: wait)
            } catch {
                if Task.isCancelled { return }
                logger.warning("node lifecycle controller: \(error)")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// What changes each time the node's kubelet reports: the Lease's renew
    /// time and the Ready condition's heartbeat.
    private static func heartbeat(_ node: JSONValue, lease: JSONValue?) -> String {
        let ready = readyCondition(node)
        return [lease?["spec"]["renewTime"].stringValue ?? "", ready?["lastHeartbeatTime"].stringValue ?? ""]
            .joined(separator: "|")
    }

    private static func readyCondition(_ node: JSONValue) -> JSONValue? {
        node["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "Ready" }
    }

    /// Marks a silent node Unknown and taints it, or untaints a node that
    /// reports again; returns the node as it now is.
    private func monitor(_ node: JSONValue, silentFor silent: Duration, now: Date, nodes: ResourceKind, pods: ResourceKind)
        async throws(APIStatus) -> JSONValue
    {
        var current = node
        let ready = Self.readyCondition(node)?["status"].stringValue
        if silent > gracePeriod {
            if ready != "Unknown" {
                var next = node
                next["status"]["conditions"] = .array((node["status"]["conditions"].arrayValue ?? []).map { condition in
                    var unknown = condition
                    unknown["status"] = "Unknown"
                    unknown["reason"] = "NodeStatusUnknown"
                    unknown["message"] = "Kubelet stopped posting node status."
                    unknown["lastTransitionTime"] = .string(RFC3339.format(now))
                    return unknown
                })
                guard let written = try await access.writeStatus(nodes, current: node, next: next) else { return node }
                current = written
                logger.notice("node stopped reporting", metadata: ["node": "\(node.metadata.name ?? "")"])
                await access.event(node, reason: "NodeNotReady", message: "Node \(node.metadata.name ?? "") status is now: NodeNotReady")
                try await markPodsNotReady(on: node.metadata.name ?? "", now: now, pods: pods)
            }
            return try await setTaints(current, key: Self.unreachable, now: now, nodes: nodes)
        }
        if ready == "False" {
            return try await setTaints(current, key: Self.notReady, now: now, nodes: nodes)
        }
        if ready == "True" {
            return try await setTaints(current, key: nil, now: now, nodes: nodes)
        }
        return current
    }

    /// Leaves exactly the NoSchedule and NoExecute taints of `key` among the
    /// two this controller manages (nil: none of them); other taints stay.
    private func setTaints(_ node: JSONValue, key: String?, now: Date, nodes: ResourceKind) async throws(APIStatus) -> JSONValue {
        let taints = node["spec"]["taints"].arrayValue ?? []
        let managed = [Self.unreachable, Self.notReady]
        var kept = taints.filter { taint in
            guard let taintKey = taint["key"].stringValue, managed.contains(taintKey) else { return true }
            return taintKey == key
        }
        if let key {
            for effect in ["NoSchedule", "NoExecute"]
            where !kept.contains(where: { $0["key"].stringValue == key && $0["effect"].stringValue == effect }) {
                var taint: JSONValue = ["key": .string(key), "effect": .string(effect)]
                if effect == "NoExecute" { taint["timeAdded"] = .string(RFC3339.format(now)) }
                kept.append(taint)
            }
        }
        guard kept != taints else { return node }
        var next = node
        next["spec"]["taints"] = kept.isEmpty ? .null : .array(kept)
        return try await access.write(nodes, current: node, next: next) ?? node
    }

    /// The node's pods stop being Ready at once: the Endpoints drop them
    /// without waiting for the eviction.
    private func markPodsNotReady(on node: String, now: Date, pods: ResourceKind) async throws(APIStatus) {
        for pod in try await access.list(pods).objects where pod["spec"]["nodeName"].stringValue == node {
            guard var conditions = pod["status"]["conditions"].arrayValue,
                let index = conditions.firstIndex(where: { $0["type"].stringValue == "Ready" }),
                conditions[index]["status"].stringValue != "False"
            else { continue }
            conditions[index]["status"] = "False"
            conditions[index]["lastTransitionTime"] = .string(RFC3339.format(now))
            var next = pod
            next["status"]["conditions"] = .array(conditions)
            try await access.writeStatus(pods, current: pod, next: next)
        }
    }

    /// Deletes `pod` when the node's NoExecute taints are not tolerated or the
    /// toleration ran out; otherwise returns when it will.
    private func evictIfDue(_ pod: JSONValue, taints: [JSONValue], now: Date, pods: ResourceKind) async throws(APIStatus) -> Date? {
        var due: Date?
        var evictNow = false
        for taint in taints {
            let added = taint["timeAdded"].stringValue.flatMap(RFC3339.date) ?? now
            switch Self.toleration(of: pod, for: taint) {
            case .none: evictNow = true
            case .forever: continue
            case .seconds(let seconds):
                let at = added.addingTimeInterval(TimeInterval(seconds))
                if at <= now { evictNow = true } else { due = min(due ?? at, at) }
            }
        }
        guard evictNow, let name = pod.metadata.name else { return due }
        let namespace = pod.metadata.namespace ?? "default"
        logger.notice("evicting pod from an unreachable node", metadata: ["pod": "\(namespace)/\(name)"])
        await evictions.event(pod, reason: "TaintManagerEviction", message: "Marking for deletion Pod \(namespace)/\(name)")
        try await evictions.delete(pods, namespace: namespace, name: name, uid: pod.metadata.uid)
        return nil
    }

    private func collectOrphan(_ pod: JSONValue, node: String, pods: ResourceKind) async throws(APIStatus) {
        guard let name = pod.metadata.name else { return }
        logger.notice("deleting a pod bound to a node that does not exist", metadata: ["pod": "\(name)", "node": "\(node)"])
        try await access.delete(pods, namespace: pod.metadata.namespace, name: name, uid: pod.metadata.uid, gracePeriod: 0)
    }

    enum Toleration: Equatable {
        case none
        case forever
        case seconds(Int64)
    }

    /// How long `pod` tolerates `taint`. A pod that says nothing about the
    /// not-ready and unreachable taints tolerates them for 300 s, as the
    /// DefaultTolerationSeconds admission plugin arranges in Kubernetes.
    static func toleration(of pod: JSONValue, for taint: JSONValue) -> Toleration {
        let key = taint["key"].stringValue ?? ""
        let effect = taint["effect"].stringValue ?? ""
        let matching = (pod["spec"]["tolerations"].arrayValue ?? []).filter { toleration in
            let tolerationEffect = toleration["effect"].stringValue ?? ""
            guard tolerationEffect.isEmpty || tolerationEffect == effect else { return false }
            let tolerationKey = toleration["key"].stringValue ?? ""
            if toleration["operator"].stringValue == "Exists" { return tolerationKey.isEmpty || tolerationKey == key }
            return tolerationKey == key && (toleration["value"].stringValue ?? "") == (taint["value"].stringValue ?? "")
        }
        guard !matching.isEmpty else {
            return [unreachable, notReady].contains(key) ? .seconds(defaultTolerationSeconds) : .none
        }
        let limits = matching.map { $0["tolerationSeconds"].int64Value }
        if limits.contains(where: { $0 == nil }) { return .forever }
        return .seconds(max(0, limits.compactMap { $0 }.max() ?? 0))
    }
}

/// When each node's heartbeat last changed, on this process's clock.
struct NodeHealth {
    private var seen: [String: (heartbeat: String, at: ContinuousClock.Instant)] = [:]

    /// How long the node's heartbeat has stood still (zero the first time it
    /// is seen, so a fresh control plane gives every node the full grace).
    mutating func silence(of node: String, heartbeat: String, at now: ContinuousClock.Instant) -> Duration {
        guard let last = seen[node], last.heartbeat == heartbeat else {
            seen[node] = (heartbeat, now)
            return .zero
        }
        return now - last.at
    }

    mutating func forget(except nodes: Set<String>) {
        seen = seen.filter { nodes.contains($0.key) }
    }
}
