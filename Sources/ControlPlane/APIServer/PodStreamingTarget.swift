import SkiffAPI

/// Which container of a stored pod a `pods/log` or `pods/exec` request means, and
/// the node it runs on, decided as kube-apiserver's `validateContainer` decides it
/// so that kubectl users see the same 400s.
struct PodStreamingTarget: Sendable, Equatable {
    let pod: String
    let podUID: String
    let container: String
    /// `spec.nodeName`; empty while the pod is unscheduled.
    let nodeName: String

    /// - Throws: 400 BadRequest when `container` is empty and the pod has several
    ///   (or no) containers, or when it names none of them.
    init(pod: JSONValue, container requested: String?) throws(APIStatus) {
        let name = pod.metadata.name ?? ""
        let spec = pod["spec"]
        func names(_ field: String) -> [String] {
            (spec[field].arrayValue ?? []).compactMap { $0["name"].stringValue }
        }
        let containers = names("containers")
        // The order kube-apiserver's VisitContainers walks: init, regular, ephemeral.
        let every = names("initContainers") + containers + names("ephemeralContainers")
        let chosen: String
        if let requested, !requested.isEmpty {
            guard every.contains(requested) else {
                throw APIStatus.badRequest("container \(requested) is not valid for pod \(name)")
            }
            chosen = requested
        } else {
            switch containers.count {
            case 1:
                chosen = containers[0]
            case 0:
                throw APIStatus.badRequest("a container name must be specified for pod \(name)")
            default:
                throw APIStatus.badRequest(
                    "a container name must be specified for pod \(name), choose one of: [\(every.joined(separator: " "))]")
            }
        }
        self.pod = name
        self.podUID = pod.metadata.uid ?? ""
        self.container = chosen
        self.nodeName = spec["nodeName"].stringValue ?? ""
    }

    /// What a request for a scheduled pod gets when this server runs no node agent
    /// (kube-apiserver would fail to reach the kubelet; this says why).
    static func noNodeAgent(pod: String, node: String) -> APIStatus {
        APIStatus(
            code: 503, reason: .serviceUnavailable,
            message: "no node agent is running on this server to reach node \(GoQuote.quote(node)) for pod \(pod)")
    }
}
