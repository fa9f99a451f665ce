import SkiffAPI

/// Every pod of one list, grouped once per pass by the uid of its controller,
/// and the uncontrolled ones by namespace (candidates for adoption): with
/// hundreds of pods, each ReplicaSet then finds its own with one lookup
/// instead of another list or a scan.
struct ReplicaSetPodGroups: Sendable {
    private(set) var controlled: [String: [JSONValue]] = [:]
    private(set) var orphans: [String: [JSONValue]] = [:]

    init(_ pods: [JSONValue]) {
        for pod in pods {
            if let owner = pod.metadata.controllerReference?.uid {
                controlled[owner, default: []].append(pod)
            } else {
                orphans[pod.metadata.namespace ?? "default", default: []].append(pod)
            }
        }
    }

    func pods(controlledBy uid: String) -> [JSONValue] { controlled[uid] ?? [] }

    func orphans(in namespace: String) -> [JSONValue] { orphans[namespace] ?? [] }
}
