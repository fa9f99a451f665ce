import SkiffAPI

/// `describe pod`: identity, status, containers, conditions, volumes and scheduling, as
/// kubectl's pod describer lays them out.
extension ObjectDescriber {
    static func pod(_ pod: JSONValue, into w: inout DescribeWriter) {
        let spec = pod["spec"]
        let status = pod["status"]
        header(pod, into: &w)
        if let priority = spec["priority"].int64Value { w.write(0, "Priority:\t\(priority)\n") }
        if let priorityClass = spec["priorityClassName"].stringValue, !priorityClass.isEmpty {
            w.write(0, "Priority Class Name:\t\(priorityClass)\n")
        }
        if let runtimeClass = spec["runtimeClassName"].stringValue, !runtimeClass.isEmpty {
            w.write(0, "Runtime Class Name:\t\(runtimeClass)\n")
        }
        if let account = spec["serviceAccountName"].stringValue, !account.isEmpty {
            w.write(0, "Service Account:\t\(account)\n")
        }
        if let node = spec["nodeName"].stringValue, !node.isEmpty {
            w.write(0, "Node:\t\(node)/\(status["hostIP"].stringValue ?? "")\n")
        } else {
            w.write(0, "Node:\t<none>\n")
        }
        if let start = status["startTime"].stringValue { w.write(0, "Start Time:\t\(DescribeWriter.time(start))\n") }
        w.labels("Labels", pod["metadata"]["labels"].stringMapValue ?? [:])
        w.annotations("Annotations", pod["metadata"]["annotations"].stringMapValue ?? [:])
        let phase = status["phase"].stringValue ?? ""
        if let deletion = pod["metadata"]["deletionTimestamp"].stringValue, phase != "Failed", phase != "Succeeded" {
            w.write(0, "Status:\tTerminating (lasts \(HumanDuration.age(since: deletion, now: RFC3339.now())))\n")
            w.write(0, "Termination Grace Period:\t\(pod["metadata"]["deletionGracePeriodSeconds"].int64Value ?? 0)s\n")
        } else {
            w.write(0, "Status:\t\(phase)\n")
        }
        if let reason = status["reason"].stringValue, !reason.isEmpty { w.write(0, "Reason:\t\(reason)\n") }
        if let message = status["message"].stringValue, !message.isEmpty { w.write(0, "Message:\t\(message)\n") }
        if let seccomp = spec["securityContext"]["seccompProfile"]["type"].stringValue {
            w.write(0, "SeccompProfile:\t\(seccomp)\n")
        }
        w.write(0, "IP:\t\(status["podIP"].stringValue ?? "")\n")
        let addresses = (status["podIPs"].arrayValue ?? []).compactMap { $0["ip"].stringValue }
        if addresses.isEmpty {
            w.write(0, "IPs:\t<none>\n")
        } else {
            w.write(0, "IPs:\n")
            for address in addresses { w.write(1, "IP:\t\(address)\n") }
        }
        if let controller = pod.metadata.controllerReference {
            w.write(0, "Controlled By:\t\(controller.kind)/\(controller.name)\n")
        }
        if let nominated = status["nominatedNodeName"].stringValue, !nominated.isEmpty {
            w.write(0, "NominatedNodeName:\t\(nominated)\n")
        }
        if let initContainers = spec["initContainers"].arrayValue, !initContainers.isEmpty {
            PodTemplateDescriber.containers(
                "Init Containers", initContainers, statuses: status["initContainerStatuses"].arrayValue ?? [], into: &w, space: "")
        }
        PodTemplateDescriber.containers(
            "Containers", spec["containers"].arrayValue ?? [], statuses: status["containerStatuses"].arrayValue ?? [],
            into: &w, space: "")
        if let conditions = status["conditions"].arrayValue, !conditions.isEmpty {
            w.write(0, "Conditions:\n  Type\tStatus\n")
            for condition in conditions {
                w.write(1, "\(condition["type"].stringValue ?? "") \t\(condition["status"].stringValue ?? "") \n")
            }
        }
        PodTemplateDescriber.volumes(spec["volumes"].arrayValue ?? [], into: &w, space: "")
        w.write(0, "QoS Class:\t\(status["qosClass"].stringValue ?? qosClass(spec))\n")
        w.labels("Node-Selectors", spec["nodeSelector"].stringMapValue ?? [:])
        PodTemplateDescriber.tolerations("Tolerations", spec["tolerations"].arrayValue ?? [], into: &w)
    }

    /// The QoS class when the server did not record one: no requests or limits anywhere is
    /// BestEffort, limits equal to requests for CPU and memory everywhere is Guaranteed.
    static func qosClass(_ spec: JSONValue) -> String {
        let containers = (spec["containers"].arrayValue ?? []) + (spec["initContainers"].arrayValue ?? [])
        var anySet = false
        var guaranteed = !containers.isEmpty
        for container in containers {
            let requests = container["resources"]["requests"].objectValue ?? [:]
            let limits = container["resources"]["limits"].objectValue ?? [:]
            if !requests.isEmpty || !limits.isEmpty { anySet = true }
            for resource in ["cpu", "memory"] {
                guard let limit = limits[resource] else {
                    guaranteed = false
                    continue
                }
                if let request = requests[resource], request != limit { guaranteed = false }
            }
        }
        if !anySet { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}
