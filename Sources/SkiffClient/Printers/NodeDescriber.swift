import SkiffAPI

/// `describe node`: identity, conditions, addresses, capacity, system info, and the pods
/// on the node with their requests and limits as shares of what the node can allocate.
enum NodeDescriber {
    static func describe(_ node: JSONValue, context: DescribeContext, into w: inout DescribeWriter) {
        let metadata = node["metadata"]
        let spec = node["spec"]
        let status = node["status"]
        w.write(0, "Name:\t\(metadata["name"].stringValue ?? "")\n")
        let roles = roleNames(metadata["labels"].stringMapValue ?? [:])
        w.write(0, "Roles:\t\(roles.isEmpty ? "<none>" : roles.joined(separator: ","))\n")
        w.labels("Labels", metadata["labels"].stringMapValue ?? [:])
        w.annotations("Annotations", metadata["annotations"].stringMapValue ?? [:])
        w.write(0, "CreationTimestamp:\t\(DescribeWriter.time(metadata["creationTimestamp"].stringValue))\n")
        taints(spec["taints"].arrayValue ?? [], into: &w)
        w.write(0, "Unschedulable:\t\(spec["unschedulable"].boolValue == true)\n")
        switch context.nodeLease {
        case .found(let lease):
            let leaseSpec = lease["spec"]
            w.write(0, "Lease:\n")
            w.write(1, "HolderIdentity:\t\(leaseSpec["holderIdentity"].stringValue ?? "<unset>")\n")
            w.write(1, "AcquireTime:\t\(leaseSpec["acquireTime"].stringValue.map { DescribeWriter.time($0) } ?? "<unset>")\n")
            w.write(1, "RenewTime:\t\(leaseSpec["renewTime"].stringValue.map { DescribeWriter.time($0) } ?? "<unset>")\n")
        case .failed(let message):
            w.write(0, "Lease:\tFailed to get lease: \(message)\n")
        case nil:
            break
        }
        if let conditions = status["conditions"].arrayValue, !conditions.isEmpty {
            w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
            w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
            for condition in conditions {
                w.write(
                    1,
                    "\(condition["type"].stringValue ?? "") \t\(condition["status"].stringValue ?? "") \t"
                        + "\(DescribeWriter.time(condition["lastHeartbeatTime"].stringValue)) \t"
                        + "\(DescribeWriter.time(condition["lastTransitionTime"].stringValue)) \t"
                        + "\(condition["reason"].stringValue ?? "") \t\(condition["message"].stringValue ?? "")\n")
            }
        }
        w.write(0, "Addresses:\n")
        for address in status["addresses"].arrayValue ?? [] {
            w.write(1, "\(address["type"].stringValue ?? ""):\t\(address["address"].stringValue ?? "")\n")
        }
        for (title, field) in [("Capacity", "capacity"), ("Allocatable", "allocatable")] {
            guard let resources = status[field].objectValue, !resources.isEmpty else { continue }
            w.write(0, "\(title):\n")
            for key in resources.keys.sorted() {
                w.write(0, "  \(key):\t\(TablePrinter.cellText(resources[key] ?? .null))\n")
            }
        }
        let info = status["nodeInfo"]
        w.write(0, "System Info:\n")
        for (title, field) in [
            ("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"),
            ("Kernel Version", "kernelVersion"), ("OS Image", "osImage"), ("Operating System", "operatingSystem"),
            ("Architecture", "architecture"), ("Container Runtime Version", "containerRuntimeVersion"),
            ("Kubelet Version", "kubeletVersion"), ("Kube-Proxy Version", "kubeProxyVersion"),
        ] {
            w.write(0, "  \(title):\t\(info[field].stringValue ?? "")\n")
        }
        if let cidr = spec["podCIDR"].stringValue, !cidr.isEmpty { w.write(0, "PodCIDR:\t\(cidr)\n") }
        if let cidrs = spec["podCIDRs"].arrayValue, !cidrs.isEmpty {
            w.write(0, "PodCIDRs:\t\(cidrs.compactMap(\.stringValue).joined(separator: ","))\n")
        }
        if let provider = spec["providerID"].stringValue, !provider.isEmpty { w.write(0, "ProviderID:\t\(provider)\n") }
        if let pods = context.nodePods {
            resources(pods, node: node, now: context.now, into: &w)
        } else {
            w.write(0, "Pods:\tnot authorized\n")
        }
    }

    /// `node-role.kubernetes.io/<role>` labels and the older `kubernetes.io/role`.
    static func roleNames(_ labels: [String: String]) -> [String] {
        var roles: Set<String> = []
        for (key, value) in labels {
            if key.hasPrefix("node-role.kubernetes.io/") {
                let role = String(key.dropFirst("node-role.kubernetes.io/".count))
                if !role.isEmpty { roles.insert(role) }
            } else if key == "kubernetes.io/role", !value.isEmpty {
                roles.insert(value)
            }
        }
        return roles.sorted()
    }

    private static func taints(_ taints: [JSONValue], into w: inout DescribeWriter) {
        w.write(0, "Taints:\t")
        guard !taints.isEmpty else {
            w.write(0, "<none>\n")
            return
        }
        for (index, taint) in taints.enumerated() {
            if index > 0 { w.write(0, "\t") }
            let value = taint["value"].stringValue ?? ""
            w.write(0, "\(taint["key"].stringValue ?? "")\(value.isEmpty ? "" : "=\(value)"):\(taint["effect"].stringValue ?? "")\n")
        }
    }

    /// `Non-terminated Pods:` and `Allocated resources:`.
    private static func resources(_ pods: [JSONValue], node: JSONValue, now: Double, into w: inout DescribeWriter) {
        let allocatable = node["status"]["allocatable"].objectValue ?? node["status"]["capacity"].objectValue ?? [:]
        func quantity(_ value: JSONValue?) -> Quantity? { value.flatMap { try? Quantity(json: $0) } }
        let cpuCapacity = quantity(allocatable["cpu"])?.milliValue ?? 0
        let memoryCapacity = quantity(allocatable["memory"])?.value ?? 0
        // kubectl divides by the node's capacity as a float and converts to int64; with no
        // capacity recorded that is NaN or infinity, which Go turns into the minimum int64.
        func percent(_ part: Int64, of whole: Int64) -> Int64 {
            whole == 0 ? Int64.min : Int64(Double(part) / Double(whole) * 100)
        }
        w.write(0, "Non-terminated Pods:\t(\(pods.count) in total)\n")
        w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
        w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
        var totals = PodResources()
        for pod in pods {
            let resources = PodResources(pod: pod)
            totals.add(resources)
            w.write(
                1,
                "\(pod["metadata"]["namespace"].stringValue ?? "")\t\(pod["metadata"]["name"].stringValue ?? "")\t\t"
                    + "\(resources.cpuRequests) (\(percent(resources.cpuRequests.milliValue, of: cpuCapacity))%)\t"
                    + "\(resources.cpuLimits) (\(percent(resources.cpuLimits.milliValue, of: cpuCapacity))%)\t"
                    + "\(resources.memoryRequests) (\(percent(resources.memoryRequests.value, of: memoryCapacity))%)\t"
                    + "\(resources.memoryLimits) (\(percent(resources.memoryLimits.value, of: memoryCapacity))%)\t"
                    + "\(HumanDuration.age(since: pod["metadata"]["creationTimestamp"].stringValue, now: now))\n")
        }
        // The totals guard against a missing capacity (0%), unlike the per-pod lines above.
        func share(_ part: Int64, of whole: Int64) -> Int64 { whole == 0 ? 0 : percent(part, of: whole) }
        w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
        w.write(1, "Resource\tRequests\tLimits\n")
        w.write(1, "--------\t--------\t------\n")
        w.write(
            1,
            "cpu\t\(totals.cpuRequests) (\(share(totals.cpuRequests.milliValue, of: cpuCapacity))%)\t"
                + "\(totals.cpuLimits) (\(share(totals.cpuLimits.milliValue, of: cpuCapacity))%)\n")
        w.write(
            1,
            "memory\t\(totals.memoryRequests) (\(share(totals.memoryRequests.value, of: memoryCapacity))%)\t"
                + "\(totals.memoryLimits) (\(share(totals.memoryLimits.value, of: memoryCapacity))%)\n")
        w.write(1, "ephemeral-storage\t0 (0%)\t0 (0%)\n")
    }
}

/// A pod's CPU and memory requests and limits summed over its containers.
struct PodResources {
    var cpuRequests = Quantity(0)
    var cpuLimits = Quantity(0)
    var memoryRequests = Quantity(0, format: .binarySI)
    var memoryLimits = Quantity(0, format: .binarySI)

    init() {}

    init(pod: JSONValue) {
        for container in pod["spec"]["containers"].arrayValue ?? [] {
            let resources = container["resources"]
            cpuRequests = Self.sum(cpuRequests, resources["requests"]["cpu"], milli: true)
            cpuLimits = Self.sum(cpuLimits, resources["limits"]["cpu"], milli: true)
            memoryRequests = Self.sum(memoryRequests, resources["requests"]["memory"], milli: false)
            memoryLimits = Self.sum(memoryLimits, resources["limits"]["memory"], milli: false)
        }
    }

    mutating func add(_ other: PodResources) {
        cpuRequests = Quantity(milli: cpuRequests.milliValue + other.cpuRequests.milliValue)
        cpuLimits = Quantity(milli: cpuLimits.milliValue + other.cpuLimits.milliValue)
        memoryRequests = Quantity(memoryRequests.value + other.memoryRequests.value, format: memoryRequests.format)
        memoryLimits = Quantity(memoryLimits.value + other.memoryLimits.value, format: memoryLimits.format)
    }

    private static func sum(_ total: Quantity, _ value: JSONValue, milli: Bool) -> Quantity {
        guard !value.isNull, let quantity = try? Quantity(json: value) else { return total }
        if milli { return Quantity(milli: total.milliValue + quantity.milliValue) }
        let format = total.isZero ? quantity.format : total.format
        return Quantity(total.value + quantity.value, format: format)
    }
}
