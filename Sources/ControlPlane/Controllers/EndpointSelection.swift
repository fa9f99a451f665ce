import SkiffAPI

/// Which pods back which Service, shared by the Endpoints and EndpointSlice
/// controllers: pods are grouped by namespace once per pass, so a pass costs
/// one walk over the pods plus, per Service, one over its namespace's pods.
struct EndpointSelection {
    /// A pod that can serve traffic: it has an IPv4 address and is not finished.
    struct Backend {
        var pod: JSONValue
        var ip: String
        var ready: Bool
        var terminating: Bool

        var targetRef: JSONValue {
            [
                "kind": "Pod", "namespace": .string(pod.metadata.namespace ?? "default"),
                "name": .string(pod.metadata.name ?? ""), "uid": .string(pod.metadata.uid ?? ""),
            ]
        }

        var nodeName: String? { pod["spec"]["nodeName"].stringValue.flatMap { $0.isEmpty ? nil : $0 } }

        /// `spec.hostname` when the pod's `spec.subdomain` names the Service
        /// (how a headless Service gives pods DNS names).
        func hostname(for service: JSONValue) -> String? {
            guard let hostname = pod["spec"]["hostname"].stringValue, !hostname.isEmpty,
                pod["spec"]["subdomain"].stringValue == service.metadata.name
            else { return nil }
            return hostname
        }
    }

    static let managedByLabel = "endpoints.kubernetes.io/managed-by"
    static let headlessLabel = "service.kubernetes.io/headless"

    private var byNamespace: [String: [Backend]] = [:]

    init(pods: [JSONValue]) {
        for pod in pods where !PodState.isFinished(pod) {
            guard let ip = Self.ipv4(of: pod) else { continue }
            let backend = Backend(pod: pod, ip: ip, ready: PodState.isReady(pod), terminating: PodState.isTerminating(pod))
            byNamespace[pod.metadata.namespace ?? "default", default: []].append(backend)
        }
    }

    /// The Service's selector, or nil when it has none (its endpoints are
    /// the user's to write). An empty selector counts as none, as it does
    /// once Kubernetes has stored the Service.
    static func selector(of service: JSONValue) -> [String: String]? {
        guard let selector = service["spec"]["selector"].stringMapValue, !selector.isEmpty else { return nil }
        return selector
    }

    static func isHeadless(_ service: JSONValue) -> Bool {
        service["spec"]["clusterIP"].stringValue == "None"
    }

    /// The pods selected by `service`, ordered by IP then name so that what
    /// the controllers write does not depend on the store's order.
    func backends(of service: JSONValue, selector: [String: String]) -> [Backend] {
        let candidates = byNamespace[service.metadata.namespace ?? "default"] ?? []
        return candidates.filter { backend in
            let labels = backend.pod.metadata.labels
            return selector.allSatisfy { labels[$0.key] == $0.value }
        }.sorted { Self.orderedBefore($0, $1) }
    }

    /// Labels of what a controller writes for `service`: the Service's own,
    /// plus the headless marker kube-proxy skips on.
    static func labels(for service: JSONValue, removing reserved: Set<String>) -> [String: String] {
        var labels = service.metadata.labels.filter { !reserved.contains($0.key) && $0.key != headlessLabel }
        if isHeadless(service) { labels[headlessLabel] = "" }
        return labels
    }

    private static func ipv4(of pod: JSONValue) -> String? {
        let candidates = [pod["status"]["podIP"].stringValue]
            + (pod["status"]["podIPs"].arrayValue ?? []).map { $0["ip"].stringValue }
        return candidates.compactMap { $0 }.first { !$0.isEmpty && !$0.contains(":") }
    }

    /// Numeric IPv4 order (10.42.0.9 before 10.42.0.10).
    private static func orderedBefore(_ a: Backend, _ b: Backend) -> Bool {
        let left = a.ip.split(separator: ".").compactMap { Int($0) }
        let right = b.ip.split(separator: ".").compactMap { Int($0) }
        if left != right { return left.lexicographicallyPrecedes(right) }
        return (a.pod.metadata.name ?? "") < (b.pod.metadata.name ?? "")
    }
}
