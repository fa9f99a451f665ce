import SkiffAPI

/// Which nodes a DaemonSet's pod belongs on (Kubernetes'
/// `NodeShouldRunDaemonPod`), and the pod spec additions that let it run
/// there: the tolerations the controller adds and the node affinity that
/// pins it to its node.
enum DaemonSetPlacement {
    /// What Kubernetes adds to every daemon pod, so node conditions never evict or
    /// keep it away (`AddOrUpdateDaemonPodTolerations`).
    static let tolerations: [(key: String, effect: String)] = [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ]

    /// The template as a pod: its spec with the daemon tolerations added
    /// (host-network pods also tolerate `network-unavailable`).
    static func pod(from template: JSONValue) -> JSONValue {
        var pod: JSONValue = ["metadata": template["metadata"], "spec": template["spec"]]
        var added = pod["spec"]["tolerations"].arrayValue ?? []
        var wanted = tolerations
        if pod["spec"]["hostNetwork"].boolValue == true { wanted.append(("node.kubernetes.io/network-unavailable", "NoSchedule")) }
        for (key, effect) in wanted {
            let exists = added.contains {
                $0["key"].stringValue == key && $0["operator"].stringValue == "Exists" && $0["effect"].stringValue == effect
            }
            if !exists { added.append(["key": .string(key), "operator": "Exists", "effect": .string(effect)]) }
        }
        pod["spec"]["tolerations"] = .array(added)
        return pod
    }

    /// The node's pod may be started there: its selector and required
    /// affinity match, and every NoSchedule and NoExecute taint is tolerated.
    static func shouldRun(_ pod: JSONValue, on node: JSONValue) -> Bool {
        SchedulingFilter.matchesSelector(pod, node) && toleratesTaints(pod, node, effects: ["NoSchedule", "NoExecute"])
    }

    /// A pod already there may stay: only an untolerated NoExecute taint evicts it.
    static func shouldContinueRunning(_ pod: JSONValue, on node: JSONValue) -> Bool {
        SchedulingFilter.matchesSelector(pod, node) && toleratesTaints(pod, node, effects: ["NoExecute"])
    }

    private static func toleratesTaints(_ pod: JSONValue, _ node: JSONValue, effects: Set<String>) -> Bool {
        (node["spec"]["taints"].arrayValue ?? []).allSatisfy { taint in
            let effect = taint["effect"].stringValue ?? ""
            guard effects.contains(effect) else { return true }
            return SchedulingFilter.tolerates(
                pod, key: taint["key"].stringValue ?? "", value: taint["value"].stringValue, effect: effect)
        }
    }

    /// Replaces the required node affinity with one term on the node's name
    /// (`ReplaceDaemonSetPodNodeNameNodeAffinity`): the controller already
    /// checked the rest, and the scheduler then has one choice.
    static func pin(_ pod: inout JSONValue, to node: String) {
        let term: JSONValue = [
            "matchFields": [["key": "metadata.name", "operator": "In", "values": [.string(node)]]],
        ]
        pod[path: ["spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"]] =
            ["nodeSelectorTerms": [term]]
    }

    /// The node a daemon pod is for: the one its affinity names (what the
    /// controller decided), else the one it is bound to. Going by the affinity
    /// keeps one pod per node even if a scheduler bound a pod elsewhere, instead
    /// of deleting and recreating it forever.
    static func node(of pod: JSONValue) -> String? {
        let terms = pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
        for term in terms.arrayValue ?? [] {
            for field in term["matchFields"].arrayValue ?? [] where field["key"].stringValue == "metadata.name" {
                if let value = field["values"][0].stringValue { return value }
            }
        }
        if let name = pod["spec"]["nodeName"].stringValue, !name.isEmpty { return name }
        return nil
    }
}
