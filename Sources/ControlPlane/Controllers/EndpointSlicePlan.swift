import SkiffAPI

/// What the EndpointSlice controller writes for one Service, computed from
/// the Service, its selected pods and the slices it already has: endpoints
/// stay in the slice that holds them (so a pod becoming ready rewrites one
/// slice, not all of them), new ones fill slices with room first, and no
/// slice holds more than `maxEndpoints`.
struct EndpointSlicePlan {
    static let serviceNameLabel = "kubernetes.io/service-name"
    static let managedByLabel = "endpointslice.kubernetes.io/managed-by"
    static let controllerName = "endpointslice-controller.k8s.io"
    /// kube-controller-manager's `--max-endpoints-per-slice` default.
    static let maxEndpoints = 100

    var creates: [JSONValue] = []
    var updates: [(current: JSONValue, next: JSONValue)] = []
    var deletes: [JSONValue] = []

    /// `existing`: this controller's slices of `service` (not being deleted).
    init(service: JSONValue, backends: [EndpointSelection.Backend], existing: [JSONValue], maxEndpoints: Int = Self.maxEndpoints) {
        var pools: [[EndpointPort]: [(key: String, json: JSONValue)]] = [:]
        var order: [[EndpointPort]] = []
        for backend in backends {
            let ports = EndpointPort.resolve(service: service, pod: backend.pod).sorted()
            if pools[ports] == nil { order.append(ports) }
            pools[ports, default: []].append((Self.key(backend), Self.endpoint(backend, service: service)))
        }
        var remaining: [[EndpointPort]: [String: JSONValue]] = [:]
        for (ports, pool) in pools { remaining[ports] = Dictionary(pool.map { ($0.key, $0.json) }) { first, _ in first } }

        // Existing slices keep the endpoints they hold that are still wanted.
        var slices: [(current: JSONValue?, ports: [EndpointPort], endpoints: [JSONValue])] = []
        for slice in existing.sorted(by: { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }) {
            let ports = Self.ports(of: slice)
            var kept: [JSONValue] = []
            for endpoint in slice["endpoints"].arrayValue ?? [] {
                let key = Self.key(endpoint)
                if let wanted = remaining[ports]?.removeValue(forKey: key) { kept.append(wanted) }
            }
            slices.append((slice, ports, kept))
        }
        // New endpoints fill slices with the same ports and room, then new slices.
        for ports in order {
            let fresh = (pools[ports] ?? []).filter { remaining[ports]?[$0.key] != nil }.map(\.json)
            var next = fresh.startIndex
            for index in slices.indices where slices[index].ports == ports && next < fresh.endIndex {
                let room = maxEndpoints - slices[index].endpoints.count
                guard room > 0 else { continue }
                let end = min(fresh.endIndex, next + room)
                slices[index].endpoints += fresh[next..<end]
                next = end
            }
            while next < fresh.endIndex {
                let end = min(fresh.endIndex, next + maxEndpoints)
                slices.append((nil, ports, Array(fresh[next..<end])))
                next = end
            }
        }
        // A Service without endpoints keeps one empty slice, as Kubernetes'
        // placeholder: consumers tell "no endpoints" from "not synced yet".
        if !slices.contains(where: { !$0.endpoints.isEmpty }) {
            let keep = slices.first { $0.current != nil }?.current
            let next = Self.slice(service: service, base: keep, ports: [], endpoints: [])
            if let keep {
                if next != keep { updates.append((keep, next)) }
            } else {
                creates.append(next)
            }
            for slice in slices {
                if let current = slice.current, current != keep { deletes.append(current) }
            }
            return
        }
        for slice in slices {
            if slice.endpoints.isEmpty {
                if let current = slice.current { deletes.append(current) }
                continue
            }
            let next = Self.slice(service: service, base: slice.current, ports: slice.ports, endpoints: slice.endpoints)
            if let current = slice.current {
                if next != current { updates.append((current, next)) }
            } else {
                creates.append(next)
            }
        }
    }

    /// Identifies one endpoint across passes: its pod, else its address.
    private static func key(_ backend: EndpointSelection.Backend) -> String {
        backend.pod.metadata.uid ?? backend.ip
    }

    private static func key(_ endpoint: JSONValue) -> String {
        endpoint["targetRef"]["uid"].stringValue ?? endpoint["addresses"][0].stringValue ?? ""
    }

    private static func ports(of slice: JSONValue) -> [EndpointPort] {
        (slice["ports"].arrayValue ?? []).map {
            EndpointPort(
                name: $0["name"].stringValue ?? "", port: $0["port"].int64Value ?? 0, proto: $0["protocol"].stringValue ?? "TCP",
                appProtocol: $0["appProtocol"].stringValue)
        }.sorted()
    }

    /// An endpoint's conditions as Kubernetes sets them: `serving` is the
    /// pod's readiness, `ready` is also false while the pod terminates, and
    /// `publishNotReadyAddresses` makes `ready` true (not `serving`).
    static func endpoint(_ backend: EndpointSelection.Backend, service: JSONValue) -> JSONValue {
        let publishNotReady = service["spec"]["publishNotReadyAddresses"].boolValue ?? false
        let serving = backend.ready
        let ready = publishNotReady || (serving && !backend.terminating)
        var endpoint: JSONValue = [
            "addresses": [.string(backend.ip)],
            "conditions": ["ready": .bool(ready), "serving": .bool(serving), "terminating": .bool(backend.terminating)],
            "targetRef": backend.targetRef,
        ]
        if let node = backend.nodeName { endpoint["nodeName"] = .string(node) }
        if let hostname = backend.hostname(for: service) { endpoint["hostname"] = .string(hostname) }
        return endpoint
    }

    /// The slice `base` becomes (or a new one, named from `<service>-`).
    static func slice(service: JSONValue, base: JSONValue?, ports: [EndpointPort], endpoints: [JSONValue]) -> JSONValue {
        let name = service.metadata.name ?? ""
        var labels = EndpointSelection.labels(for: service, removing: [serviceNameLabel, managedByLabel])
        labels[serviceNameLabel] = name
        labels[managedByLabel] = controllerName
        var slice = base ?? [
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": ["generateName": .string("\(name)-"), "namespace": .string(service.metadata.namespace ?? "default")],
        ]
        // As Kubernetes: the Service's labels plus ours, whatever was there.
        slice["metadata"]["labels"] = JSONValue(stringMap: labels)
        slice["metadata"]["ownerReferences"] = [
            OwnerReference(
                apiVersion: "v1", kind: "Service", name: name, uid: service.metadata.uid ?? "", controller: true,
                blockOwnerDeletion: true
            ).json
        ]
        slice["addressType"] = "IPv4"
        slice["endpoints"] = .array(endpoints)
        slice["ports"] = .array(ports.map(\.sliceJSON))
        return slice
    }
}
