import Foundation
import SkiffAPI

/// The Node object as kubelet registers it, and its status as kubelet reports it.
package enum NodeObject {
    /// kubelet's version string as `kubectl get nodes` shows it.
    package static let kubeletVersion = "v1.32.0-skiff"
    package static let runtimeVersion = "skiff://0.1.0"

    package static func registration(config: NodeAgentConfig, facts: NodeFacts) -> JSONValue {
        var labels: [String: String] = [
            "kubernetes.io/hostname": config.nodeName, "kubernetes.io/os": "linux",
            "kubernetes.io/arch": facts.architecture, "beta.kubernetes.io/os": "linux",
            "beta.kubernetes.io/arch": facts.architecture,
        ]
        labels.merge(config.nodeLabels) { _, new in new }
        var spec: JSONValue = .emptyObject
        if let cidr = config.podCIDR {
            spec["podCIDR"] = .string(cidr)
            spec["podCIDRs"] = [.string(cidr)]
        }
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(config.nodeName), "labels": JSONValue(stringMap: labels)],
            "spec": spec,
        ]
    }

    /// `status` with the four conditions kubelet always reports, each carrying
    /// the transition time it had before (so a heartbeat does not look like a flap).
    package static func status(
        config: NodeAgentConfig, facts: NodeFacts, previous: JSONValue, images: [(names: [String], size: Int64)],
        now: Date
    ) -> JSONValue {
        let stamp = JSONValue.string(RFC3339.format(now))
        let capacity: JSONValue = [
            "cpu": .string("\(facts.cpus)"), "memory": .string("\(facts.memoryBytes / 1024)Ki"),
            "pods": .string("\(config.maxPods)"), "ephemeral-storage": .string("\(facts.ephemeralStorageBytes / 1024)Ki"),
            "hugepages-2Mi": "0", "hugepages-1Gi": "0",
        ]
        let conditions: [(String, String, String, String)] = [
            ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ]
        let old = previous["conditions"].arrayValue ?? []
        let rendered: [JSONValue] = conditions.map { type, status, reason, message in
            let before = old.first { $0["type"].stringValue == type }
            let transition = before?["status"].stringValue == status
                ? (before?["lastTransitionTime"] ?? stamp) : stamp
            return [
                "type": .string(type), "status": .string(status), "reason": .string(reason),
                "message": .string(message), "lastHeartbeatTime": stamp, "lastTransitionTime": transition,
            ]
        }
        return [
            "capacity": capacity, "allocatable": capacity, "conditions": .array(rendered),
            "addresses": [
                ["type": "InternalIP", "address": .string(config.nodeIP)],
                ["type": "Hostname", "address": .string(config.nodeName)],
            ],
            "daemonEndpoints": ["kubeletEndpoint": ["Port": 10250]],
            "nodeInfo": [
                "machineID": .string(facts.machineID), "systemUUID": .string(facts.machineID),
                "bootID": .string(facts.bootID), "kernelVersion": .string(facts.kernelVersion),
                "osImage": .string(facts.osImage), "containerRuntimeVersion": .string(runtimeVersion),
                "kubeletVersion": .string(kubeletVersion), "kubeProxyVersion": .string(kubeletVersion),
                "operatingSystem": "linux", "architecture": .string(facts.architecture),
            ],
            "images": .array(images.prefix(50).map { image in
                ["names": .array(image.names.map { .string($0) }), "sizeBytes": .integer(image.size)]
            }),
        ]
    }

    /// Lease times are MicroTime: RFC 3339 with six fractional digits.
    package static func microTime(_ date: Date) -> String {
        let whole = RFC3339.format(date)
        let micros = Int((date.timeIntervalSince1970 - floor(date.timeIntervalSince1970)) * 1_000_000)
        return String(whole.dropLast()) + String(format: ".%06dZ", micros)
    }
}
