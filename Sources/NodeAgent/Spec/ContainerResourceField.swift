import SkiffAPI

/// What the node can give a container, used where the kubelet substitutes it for a missing limit.
package typealias NodeAllocatable = (cpuMillis: Int64, memoryBytes: Int64)

/// The downward API's `resourceFieldRef`: a container's request or limit in divisor units.
///
/// Follows `resource.ExtractContainerResourceValue` after `MergeContainerResourceLimits`:
/// a missing (or zero) cpu/memory limit reads as the node's allocatable amount, a missing
/// request reads as 0, and the result is rounded up (`250m` with divisor `1` is `1`).
/// ephemeral-storage has no allocatable figure here, so a missing limit reads as 0.
package enum ContainerResourceField {
    package static func value(
        resource: String, divisor: String?, container: JSONValue, nodeAllocatable: NodeAllocatable
    ) throws(PodConfigError) -> String {
        let divisorQuantity = try parsedDivisor(divisor)
        let resources = container["resources"]
        func amount(_ section: String, _ name: String) throws(PodConfigError) -> Quantity? {
            try ResourceQuantity.read(resources[section][name])
        }
        func limit(_ name: String, allocatable: Quantity?) throws(PodConfigError) -> Quantity {
            if let set = try amount("limits", name), !set.isZero { return set }
            return allocatable ?? Quantity(0)
        }
        let cpuAllocatable = Quantity(milli: nodeAllocatable.cpuMillis)
        let memoryAllocatable = Quantity(nodeAllocatable.memoryBytes, format: .binarySI)
        switch resource {
        case "limits.cpu":
            return cpuString(try limit("cpu", allocatable: cpuAllocatable), divisorQuantity)
        case "requests.cpu":
            return cpuString(try amount("requests", "cpu") ?? Quantity(0), divisorQuantity)
        case "limits.memory":
            return byteString(try limit("memory", allocatable: memoryAllocatable), divisorQuantity)
        case "requests.memory":
            return byteString(try amount("requests", "memory") ?? Quantity(0), divisorQuantity)
        case "limits.ephemeral-storage":
            return byteString(try limit("ephemeral-storage", allocatable: nil), divisorQuantity)
        case "requests.ephemeral-storage":
            return byteString(try amount("requests", "ephemeral-storage") ?? Quantity(0), divisorQuantity)
        default:
            for section in ["requests", "limits"] where resource.hasPrefix(section + ".") {
                let name = String(resource.dropFirst(section.count + 1))
                if name.hasPrefix("hugepages-") {
                    return byteString(try amount(section, name) ?? Quantity(0), divisorQuantity)
                }
            }
            throw PodConfigError("unsupported container resource : \(resource)")
        }
    }

    /// The value for a `resourceFieldRef` that names its container (`containerName`), looked
    /// up among the pod's containers and then its init containers; empty means `container`.
    package static func value(
        reference: JSONValue, pod: JSONValue, container: JSONValue?, nodeAllocatable: NodeAllocatable
    ) throws(PodConfigError) -> String {
        let resource = reference["resource"].stringValue ?? ""
        let divisor = divisorText(reference["divisor"])
        let containerName = reference["containerName"].stringValue ?? ""
        if containerName.isEmpty, let container {
            return try value(resource: resource, divisor: divisor, container: container, nodeAllocatable: nodeAllocatable)
        }
        let candidates = (pod["spec"]["containers"].arrayValue ?? []) + (pod["spec"]["initContainers"].arrayValue ?? [])
        guard let named = candidates.first(where: { $0["name"].stringValue == containerName }) else {
            throw PodConfigError("container \(containerName) not found")
        }
        return try value(resource: resource, divisor: divisor, container: named, nodeAllocatable: nodeAllocatable)
    }

    /// A divisor as JSON carries it (`"1Mi"` or a bare number).
    static func divisorText(_ json: JSONValue) -> String? {
        switch json {
        case .string(let text): return text
        case .integer(let integer): return String(integer)
        case .double(let double): return String(double)
        default: return nil
        }
    }

    /// An absent or zero divisor means `1`, as in Kubernetes.
    private static func parsedDivisor(_ text: String?) throws(PodConfigError) -> Quantity {
        guard let text, !text.isEmpty else { return Quantity(1) }
        let parsed: Quantity
        do { parsed = try Quantity(parsing: text) } catch { throw PodConfigError(error.description) }
        return parsed.isZero ? Quantity(1) : parsed
    }

    /// CPU counts in thousandths: ceil(milli(value) / milli(divisor)).
    private static func cpuString(_ amount: Quantity, _ divisor: Quantity) -> String {
        ceilingQuotient(amount.milliValue, divisor.milliValue)
    }

    /// Memory, storage and hugepages count whole bytes: ceil(value / divisor).
    private static func byteString(_ amount: Quantity, _ divisor: Quantity) -> String {
        ceilingQuotient(amount.value, divisor.value)
    }

    /// Division in Double then ceiling, as the kubelet computes it with float64, so results
    /// agree digit for digit even where float64 rounds (amounts above 2^53).
    private static func ceilingQuotient(_ amount: Int64, _ divisor: Int64) -> String {
        guard divisor != 0 else { return "0" }
        let quotient = (Double(amount) / Double(divisor)).rounded(.up)
        return String(Int64(exactly: quotient) ?? (quotient < 0 ? .min : .max))
    }
}

/// Reads resource quantities from a container's JSON with the kubelet-facing error.
enum ResourceQuantity {
    /// nil when absent; a value that does not parse (the API server refuses those) is an error.
    static func read(_ json: JSONValue) throws(PodConfigError) -> Quantity? {
        if json.isNull { return nil }
        do { return try Quantity(json: json) } catch { throw PodConfigError(error.description) }
    }
}
