import Dataplane
import NodeRuntime
import SkiffAPI

/// Turns a Service and its EndpointSlices (API objects) into the
/// dataplane's `ServiceSpec`, as kube-proxy reads them. Pure: no I/O, so
/// every rule here is unit-tested on its own.
package struct ServiceTranslator: Sendable {
    /// This node's name: endpoints whose `nodeName` is it are `local` (for
    /// the `Local` traffic policies).
    package var nodeName: String
    /// Endpoints outside these are dropped: the dataplane refuses a Service
    /// that would DNAT to an arbitrary host, and one bad address in a
    /// hand-written slice must not take the Service's other endpoints down.
    package var podCIDRs: [IPv4Network]

    package init(nodeName: String, podCIDRs: [IPv4Network]) {
        self.nodeName = nodeName
        self.podCIDRs = podCIDRs
    }

    /// kube-proxy's opt-out label: a Service naming another proxy is not ours.
    package static let serviceProxyNameLabel = "service.kubernetes.io/service-proxy-name"
    package static let serviceNameLabel = "kubernetes.io/service-name"

    package static func id(of object: JSONValue) -> ServiceID? {
        guard let name = object.metadata.name else { return nil }
        return ServiceID(namespace: object.metadata.namespace ?? "default", name: name)
    }

    /// The Service an EndpointSlice belongs to (its `kubernetes.io/service-name` label).
    package static func serviceID(ofSlice slice: JSONValue) -> ServiceID? {
        guard let name = slice.metadata.labels[serviceNameLabel], !name.isEmpty else { return nil }
        return ServiceID(namespace: slice.metadata.namespace ?? "default", name: name)
    }

    /// The ingress addresses of a LoadBalancer Service's status that this node
    /// forwards (`ipMode: Proxy` means the load balancer itself delivers to
    /// the nodes, so kube-proxy leaves them alone).
    package static func loadBalancerIPs(_ service: JSONValue) -> [IPv4Address] {
        guard service["spec"]["type"].stringValue == "LoadBalancer" else { return [] }
        return (service["status"]["loadBalancer"]["ingress"].arrayValue ?? []).compactMap { ingress in
            guard ingress["ipMode"].stringValue != "Proxy", let text = ingress["ip"].stringValue else { return nil }
            return try? IPv4Address(parsing: text)
        }
    }

    /// The forwarding `service` needs, or nil when it has none on this node:
    /// headless and ExternalName Services, ones without an IPv4 cluster IP or
    /// ports, and ones labelled for another proxy.
    package func spec(for service: JSONValue, slices: [JSONValue]) -> ServiceSpec? {
        guard let id = Self.id(of: service),
            service.metadata.labels[Self.serviceProxyNameLabel] == nil,
            service["spec"]["type"].stringValue != "ExternalName",
            let text = service["spec"]["clusterIP"].stringValue, text != "None",
            let clusterIP = try? IPv4Address(parsing: text)
        else { return nil }
        let spec = service["spec"]
        let exposed = ["NodePort", "LoadBalancer"].contains(spec["type"].stringValue ?? "ClusterIP")
        let ports: [ServicePortSpec] = (spec["ports"].arrayValue ?? []).compactMap { port in
            guard let number = port["port"].int64Value.flatMap(UInt16.init(exactly:)), number > 0,
                let proto = L4Protocol(rawValue: port["protocol"].stringValue ?? "TCP")
            else { return nil }
            let nodePort = exposed ? port["nodePort"].int64Value.flatMap(UInt16.init(exactly:)).flatMap { $0 == 0 ? nil : $0 } : nil
            return ServicePortSpec(name: port["name"].stringValue ?? "", proto: proto, port: number, nodePort: nodePort)
        }
        guard !ports.isEmpty else { return nil }
        var externalIPs: [IPv4Address] = []
        for address in (spec["externalIPs"].arrayValue ?? []).compactMap({ $0.stringValue.flatMap { try? IPv4Address(parsing: $0) } })
            + Self.loadBalancerIPs(service) where !externalIPs.contains(address)
        {
            externalIPs.append(address)
        }
        var affinity: UInt32?
        if spec["sessionAffinity"].stringValue == "ClientIP" {
            let timeout = spec["sessionAffinityConfig"]["clientIP"]["timeoutSeconds"].int64Value
            affinity = timeout.flatMap(UInt32.init(exactly:)) ?? ServiceSpec.defaultAffinityTimeout
        }
        return ServiceSpec(
            id: id, clusterIP: clusterIP, externalIPs: externalIPs, ports: ports, affinityTimeoutSeconds: affinity,
            externalTrafficLocal: spec["externalTrafficPolicy"].stringValue == "Local",
            internalTrafficLocal: spec["internalTrafficPolicy"].stringValue == "Local",
            endpoints: endpoints(of: slices))
    }

    /// The endpoints of a Service's IPv4 slices, one per address (an address
    /// listed twice while it moves between slices counts once, with the union
    /// of its ports). A missing `ready` condition means ready, as the API
    /// documents. When none is ready, endpoints that still serve while they
    /// terminate are used instead, as kube-proxy does since 1.28, so a
    /// rolling update does not drop connections to a Service at its last pod.
    package func endpoints(of slices: [JSONValue]) -> [EndpointSpec] {
        var found: [IPv4Address: (spec: EndpointSpec, servingTerminating: Bool)] = [:]
        var order: [IPv4Address] = []
        for slice in slices where (slice["addressType"].stringValue ?? "IPv4") == "IPv4" {
            let ports: [EndpointSpec.Port] = (slice["ports"].arrayValue ?? []).compactMap { port in
                guard let number = port["port"].int64Value.flatMap(UInt16.init(exactly:)), number > 0,
                    let proto = L4Protocol(rawValue: port["protocol"].stringValue ?? "TCP")
                else { return nil }
                return EndpointSpec.Port(name: port["name"].stringValue ?? "", proto: proto, port: number)
            }
            guard !ports.isEmpty else { continue }
            for endpoint in slice["endpoints"].arrayValue ?? [] {
                guard let text = endpoint["addresses"][0].stringValue, let ip = try? IPv4Address(parsing: text),
                    podCIDRs.contains(where: { $0.contains(ip) })
                else { continue }
                let conditions = endpoint["conditions"]
                let ready = conditions["ready"].boolValue ?? true
                let servingTerminating = (conditions["serving"].boolValue ?? ready) && (conditions["terminating"].boolValue ?? false)
                let local = endpoint["nodeName"].stringValue == nodeName
                if var known = found[ip] {
                    for port in ports where !known.spec.ports.contains(port) { known.spec.ports.append(port) }
                    known.spec.ready = known.spec.ready || ready
                    known.servingTerminating = known.servingTerminating || servingTerminating
                    found[ip] = known
                } else {
                    found[ip] = (EndpointSpec(ip: ip, ports: ports, ready: ready, local: local), servingTerminating)
                    order.append(ip)
                }
            }
        }
        var result = order.compactMap { found[$0] }
        if !result.contains(where: \.spec.ready) {
            for index in result.indices where result[index].servingTerminating { result[index].spec.ready = true }
        }
        return result.map(\.spec)
    }
}
