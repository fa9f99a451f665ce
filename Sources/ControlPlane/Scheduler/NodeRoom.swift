import SkiffAPI

/// One node as a scheduling pass sees it: what it offers and what is bound to
/// it, summed once per pass and grown as the pass places pods. Placing the
/// thousandth pod of a pass then costs the same as the first, instead of
/// re-adding the requests of every pod already on the node for every
/// candidate (which made binding a thousand pods quadratic).
struct NodeRoom {
    let node: JSONValue
    let name: String
    let ready: Bool
    let cpuMillis: Int64
    let memoryBytes: Int64
    /// `status.allocatable.pods`, 110 when the node does not say (the kubelet's default).
    let podLimit: Int64
    private(set) var podCount: Int64 = 0
    private(set) var requested = PodRequests()
    /// Pods bound here per controller uid, for spreading a controller's pods.
    private(set) var byController: [String: Int] = [:]

    /// The capacity reasons `SchedulingFilter.reasons` gives, which depend on
    /// the pods on the node; they come last there, so they are replaced here.
    static let capacityReasons: Set<String> = [
        "Too many pods", "Insufficient cpu", "Insufficient memory",
        "node(s) didn't have free ports for the requested pod ports",
    ]

    init?(_ node: JSONValue) {
        guard let name = node.metadata.name else { return nil }
        self.node = node
        self.name = name
        let condition = node["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "Ready" }
        ready = condition?["status"].stringValue == "True"
        let allocatable = node["status"]["allocatable"]
        cpuMillis = allocatable["cpu"].stringValue.flatMap { try? Quantity(parsing: $0) }?.milliValue ?? 0
        memoryBytes = allocatable["memory"].stringValue.flatMap { try? Quantity(parsing: $0) }?.value ?? 0
        podLimit = allocatable["pods"].stringValue.flatMap { Int64($0) } ?? 110
    }

    /// Counts `pod` (asking `requests`) as bound here.
    mutating func add(_ pod: JSONValue, requests: PodRequests) {
        podCount += 1
        requested.add(requests)
        if let uid = pod.metadata.controllerReference?.uid { byController[uid, default: 0] += 1 }
    }

    /// Why `pod` cannot go here (empty: it fits), worded as the scheduler
    /// words it: `SchedulingFilter`'s node checks, its capacity checks against
    /// the totals kept here, and the not-ready taint of a node that is not Ready.
    func reasons(for pod: JSONValue, wanting wanted: PodRequests) -> [String] {
        var why = SchedulingFilter.reasons(pod: pod, node: node, podsOnNode: []).filter { !Self.capacityReasons.contains($0) }
        if podCount + 1 > podLimit { why.append("Too many pods") }
        if wanted.cpuMillis > 0, requested.cpuMillis + wanted.cpuMillis > cpuMillis { why.append("Insufficient cpu") }
        if wanted.memoryBytes > 0, requested.memoryBytes + wanted.memoryBytes > memoryBytes {
            why.append("Insufficient memory")
        }
        if !wanted.hostPorts.isDisjoint(with: requested.hostPorts) {
            why.append("node(s) didn't have free ports for the requested pod ports")
        }
        if !ready, !SchedulingFilter.tolerates(pod, key: "node.kubernetes.io/not-ready", value: nil, effect: "NoSchedule") {
            why.append("node(s) had untolerated taint {node.kubernetes.io/not-ready: }")
        }
        return why
    }

    /// LeastAllocated: the share of cpu and memory left once `wanted` is
    /// added, averaged; the node with the most left over scores best.
    func score(wanting wanted: PodRequests) -> Double {
        let cpu = Double(max(cpuMillis, 1))
        let memory = Double(max(memoryBytes, 1))
        let cpuUsed = Double(requested.cpuMillis + wanted.cpuMillis)
        let memoryUsed = Double(requested.memoryBytes + wanted.memoryBytes)
        return (max(0, 1 - cpuUsed / cpu) + max(0, 1 - memoryUsed / memory)) / 2
    }

    /// How many pods of the controller `uid` are here already.
    func siblings(of uid: String?) -> Int {
        uid.flatMap { byController[$0] } ?? 0
    }
}
