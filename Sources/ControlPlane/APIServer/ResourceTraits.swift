import SkiffAPI

/// Per-kind behaviour of the generic registry that the real API server keeps in
/// each resource's "strategy": which kinds count `metadata.generation`, what
/// status a new object starts with, which allow PUT to create.
enum ResourceTraits {
    /// Workloads bump `metadata.generation` on spec changes; controllers report
    /// `status.observedGeneration` against it and `rollout status` compares them.
    static func tracksGeneration(_ resource: ResourceKind) -> Bool {
        resource.group == "apps" || resource.group == "batch"
    }

    /// Kinds whose status is written only through `/status` (controllers, the node agent).
    static func hasStatusSubresource(_ resource: ResourceKind) -> Bool {
        resource.subresource("status") != nil
    }

    /// Kinds the real server lets a PUT create (`AllowCreateOnUpdate`).
    static func allowsCreateOnUpdate(_ resource: ResourceKind) -> Bool {
        ["leases", "endpoints", "endpointslices", "events"].contains(resource.plural)
    }

    /// Clients cannot create an object with a status they made up; each kind
    /// starts where its controller expects it (a Pod Pending with its QoS class).
    static func resetStatusOnCreate(_ object: inout JSONValue, _ resource: ResourceKind) {
        guard resource.group.isEmpty || resource.group == "apps" || resource.group == "batch" else { return }
        switch (resource.group, resource.plural) {
        case ("", "pods"):
            object["status"] = ["phase": "Pending", "qosClass": .string(QualityOfService.classify(object["spec"]))]
        case ("", "services"):
            object["status"] = ["loadBalancer": .emptyObject]
        case ("", "persistentvolumeclaims"), ("", "persistentvolumes"):
            object["status"] = ["phase": "Pending"]
        case ("", "namespaces"):
            object["status"] = ["phase": "Active"]
        case ("apps", _), ("batch", _):
            object["status"] = .emptyObject
        default:
            break
        }
    }

    /// Everything but metadata and status: what a generation bump is about.
    static func specPart(_ object: JSONValue) -> JSONValue {
        var copy = object
        copy["metadata"] = .null
        copy["status"] = .null
        return copy
    }
}

/// `status.qosClass` of a pod, by Kubernetes' rule: no requests or limits
/// anywhere is BestEffort; cpu and memory limits equal to requests in every
/// container is Guaranteed; anything else Burstable.
enum QualityOfService {
    static func classify(_ spec: JSONValue) -> String {
        let containers = (spec["containers"].arrayValue ?? []) + (spec["initContainers"].arrayValue ?? [])
        var anyResource = false
        var guaranteed = !containers.isEmpty
        for container in containers {
            let requests = container["resources"]["requests"].objectValue ?? [:]
            let limits = container["resources"]["limits"].objectValue ?? [:]
            if !requests.isEmpty || !limits.isEmpty { anyResource = true }
            for name in ["cpu", "memory"] {
                guard let limit = limits[name] else {
                    guaranteed = false
                    continue
                }
                if let request = requests[name], request != limit { guaranteed = false }
            }
        }
        if !anyResource { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}
