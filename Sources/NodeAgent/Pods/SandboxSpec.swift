import NodeRuntime
import SkiffAPI

/// The runtime sandbox of a pod: its hostname (`spec.hostname`, or the pod
/// name cut to a DNS label), host namespaces, labels and hostAliases.
package enum SandboxSpec {
    package static func config(for pod: JSONValue) -> PodSandboxConfig {
        let meta = pod.metadata
        let spec = pod["spec"]
        var hostname = spec["hostname"].stringValue ?? meta.name ?? "pod"
        if hostname.count > 63 { hostname = String(hostname.prefix(63)) }
        while hostname.hasSuffix("-") || hostname.hasSuffix(".") { hostname.removeLast() }
        hostname = hostname.replacingOccurrences(of: ".", with: "-")
        var hosts: [String] = []
        for alias in spec["hostAliases"].arrayValue ?? [] {
            guard let ip = alias["ip"].stringValue else { continue }
            let names = (alias["hostnames"].arrayValue ?? []).compactMap(\.stringValue)
            if !names.isEmpty { hosts.append("\(ip)\t\(names.joined(separator: " "))") }
        }
        return PodSandboxConfig(
            name: meta.name ?? "", namespace: meta.namespace ?? "default", uid: meta.uid ?? "",
            hostname: hostname, hostNetwork: spec["hostNetwork"].boolValue == true,
            hostIPC: spec["hostIPC"].boolValue == true, labels: meta.labels,
            annotations: ["io.kubernetes.pod.uid": meta.uid ?? ""], hostEntries: hosts)
    }
}
