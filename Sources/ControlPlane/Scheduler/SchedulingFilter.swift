import SkiffAPI

/// kube-scheduler's filters for one pod on one node, each failure worded as
/// the scheduler words it in `FailedScheduling` events.
enum SchedulingFilter {
    /// Why `pod` cannot go to `node` (empty: it fits), given the pods already bound there.
    static func reasons(pod: JSONValue, node: JSONValue, podsOnNode: [JSONValue]) -> [String] {
        var reasons: [String] = []
        let spec = node["spec"]
        if spec["unschedulable"].boolValue == true, !tolerates(pod, key: "node.kubernetes.io/unschedulable", value: nil, effect: "NoSchedule") {
            reasons.append("node(s) were unschedulable")
        }
        if !matchesSelector(pod, node) { reasons.append("node(s) didn't match Pod's node affinity/selector") }
        for taint in spec["taints"].arrayValue ?? [] {
            let effect = taint["effect"].stringValue ?? ""
            guard effect == "NoSchedule" || effect == "NoExecute" else { continue }
            let key = taint["key"].stringValue ?? ""
            if !tolerates(pod, key: key, value: taint["value"].stringValue, effect: effect) {
                // kube-scheduler's "{%s: %s}": a taint without a value reads `{key: }`.
                reasons.append("node(s) had untolerated taint {\(key): \(taint["value"].stringValue ?? "")}")
                break
            }
        }
        let wanted = PodRequests(pod)
        let used = podsOnNode.map(PodRequests.init)
        let allocatable = node["status"]["allocatable"]
        let cpu = allocatable["cpu"].stringValue.flatMap { try? Quantity(parsing: $0) }?.milliValue ?? 0
        let memory = allocatable["memory"].stringValue.flatMap { try? Quantity(parsing: $0) }?.value ?? 0
        let pods = allocatable["pods"].stringValue.flatMap { Int64($0) } ?? 110
        if Int64(podsOnNode.count) + 1 > pods { reasons.append("Too many pods") }
        if wanted.cpuMillis > 0, used.reduce(0, { $0 + $1.cpuMillis }) + wanted.cpuMillis > cpu {
            reasons.append("Insufficient cpu")
        }
        if wanted.memoryBytes > 0, used.reduce(0, { $0 + $1.memoryBytes }) + wanted.memoryBytes > memory {
            reasons.append("Insufficient memory")
        }
        let taken = used.reduce(into: Set<String>()) { $0.formUnion($1.hostPorts) }
        if !wanted.hostPorts.isDisjoint(with: taken) {
            reasons.append("node(s) didn't have free ports for the requested pod ports")
        }
        return reasons
    }

    /// `nodeSelector` and required node affinity: `matchExpressions` (In,
    /// NotIn, Exists, DoesNotExist, Gt, Lt on labels) and `matchFields` (In,
    /// NotIn on `metadata.name`, which is how a DaemonSet pins its pods).
    static func matchesSelector(_ pod: JSONValue, _ node: JSONValue) -> Bool {
        let labels = node["metadata"]["labels"].stringMapValue ?? [:]
        for (key, value) in pod["spec"]["nodeSelector"].stringMapValue ?? [:] where labels[key] != value {
            return false
        }
        let terms = pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"].arrayValue
        guard let terms, !terms.isEmpty else { return true }
        let name = node.metadata.name ?? ""
        return terms.contains { term in
            let expressions = term["matchExpressions"].arrayValue ?? []
            let fields = term["matchFields"].arrayValue ?? []
            // A term with no requirement at all selects nothing.
            guard !expressions.isEmpty || !fields.isEmpty else { return false }
            let fieldsMatch = fields.allSatisfy { field in
                let values = (field["values"].arrayValue ?? []).compactMap(\.stringValue)
                guard field["key"].stringValue == "metadata.name" else { return false }
                switch field["operator"].stringValue ?? "" {
                case "In": return values.contains(name)
                case "NotIn": return !values.contains(name)
                default: return false
                }
            }
            return fieldsMatch && expressions.allSatisfy { expression in
                let key = expression["key"].stringValue ?? ""
                let values = (expression["values"].arrayValue ?? []).compactMap(\.stringValue)
                let label = labels[key]
                switch expression["operator"].stringValue ?? "" {
                case "In": return label.map(values.contains) ?? false
                case "NotIn": return !(label.map(values.contains) ?? false)
                case "Exists": return label != nil
                case "DoesNotExist": return label == nil
                case "Gt": return Int64(label ?? "").flatMap { l in values.first.flatMap(Int64.init).map { l > $0 } } ?? false
                case "Lt": return Int64(label ?? "").flatMap { l in values.first.flatMap(Int64.init).map { l < $0 } } ?? false
                default: return false
                }
            }
        }
    }

    static func tolerates(_ pod: JSONValue, key: String, value: String?, effect: String) -> Bool {
        (pod["spec"]["tolerations"].arrayValue ?? []).contains { toleration in
            let tolerationEffect = toleration["effect"].stringValue ?? ""
            guard tolerationEffect.isEmpty || tolerationEffect == effect else { return false }
            let tolerationKey = toleration["key"].stringValue ?? ""
            if toleration["operator"].stringValue == "Exists" { return tolerationKey.isEmpty || tolerationKey == key }
            return tolerationKey == key && (toleration["value"].stringValue ?? "") == (value ?? "")
        }
    }

    /// `0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient memory.`
    static func message(nodeCount: Int, reasons: [[String]]) -> String {
        var counts: [String: Int] = [:]
        for list in reasons { for reason in list { counts[reason, default: 0] += 1 } }
        // Sorted as whole "N reason" strings, as the scheduler's FitError sorts them.
        let parts = counts.map { "\($0.value) \($0.key)" }.sorted()
        return "0/\(nodeCount) nodes are available: \(parts.joined(separator: ", "))."
    }
}
