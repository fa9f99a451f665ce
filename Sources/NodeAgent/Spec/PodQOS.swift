import SkiffAPI

/// A pod's quality-of-service class (`status.qosClass`), by Kubernetes' rules.
///
/// Only cpu and memory count, summed over containers and init containers, and only
/// amounts above zero: no request or limit anywhere is BestEffort; every container limiting
/// both cpu and memory with requests equal to limits is Guaranteed; anything else Burstable.
package enum PodQOS {
    package static let guaranteed = "Guaranteed"
    package static let burstable = "Burstable"
    package static let bestEffort = "BestEffort"

    /// The class already in `status.qosClass` (it never changes once set), else computed.
    package static func classOf(pod: JSONValue) -> String {
        if let recorded = pod["status"]["qosClass"].stringValue, !recorded.isEmpty { return recorded }
        return compute(pod: pod)
    }

    /// The class from the spec alone.
    ///
    /// Sums are kept in millicores for cpu and bytes for memory (each amount rounded up as
    /// the runtime counts it); Kubernetes compares exact decimals, which differs only for
    /// amounts finer than those units, which nobody can apply anyway.
    package static func compute(pod: JSONValue) -> String {
        let containers = (pod["spec"]["containers"].arrayValue ?? []) + (pod["spec"]["initContainers"].arrayValue ?? [])
        var requests: [String: Int64] = [:]
        var limits: [String: Int64] = [:]
        var guaranteed = true
        for container in containers {
            let resources = container["resources"]
            let limited = positiveAmounts(resources["limits"])
            // A limit without a request requests the limit, as the API server stores it;
            // applying it here classifies a pod the same whether or not it was defaulted.
            var requested = resources["requests"]
            for (name, amount) in resources["limits"].objectValue ?? [:] where requested[name].isNull {
                requested[name] = amount
            }
            for (name, amount) in positiveAmounts(requested) {
                requests[name, default: 0] &+= amount
            }
            for (name, amount) in limited {
                limits[name, default: 0] &+= amount
            }
            if limited["cpu"] == nil || limited["memory"] == nil {
                guaranteed = false
            }
        }
        if requests.isEmpty && limits.isEmpty { return bestEffort }
        if guaranteed, requests.allSatisfy({ limits[$0.key] == $0.value }), requests.count == limits.count {
            return PodQOS.guaranteed
        }
        return burstable
    }

    /// cpu (millicores) and memory (bytes) above zero; other resources and unparsable
    /// amounts are ignored, as they cannot be part of a stored pod.
    private static func positiveAmounts(_ list: JSONValue) -> [String: Int64] {
        var result: [String: Int64] = [:]
        for name in ["cpu", "memory"] {
            guard let quantity = try? ResourceQuantity.read(list[name]), Quantity(0) < quantity else { continue }
            result[name] = name == "cpu" ? quantity.milliValue : quantity.value
        }
        return result
    }
}
