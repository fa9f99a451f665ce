import Foundation
import SkiffAPI

/// `kubectl get services`: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, wide SELECTOR.
enum ServiceTable: TablePrinter {
    static let columns: [TableColumn] = [
        .name,
        TableColumn(
            "Type",
            description:
                "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. \"ExternalName\" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types"
        ),
        TableColumn(
            "Cluster-IP",
            description:
                "clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a valid IP address. Setting this to \"None\" makes a \"headless service\" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"
        ),
        TableColumn(
            "External-IP",
            description:
                "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system."
        ),
        TableColumn(
            "Port(s)",
            description:
                "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"
        ),
        .age,
        TableColumn(
            "Selector", priority: 1,
            description:
                "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/"
        ),
    ]

    static func cells(_ service: JSONValue, now: Date) -> [JSONValue] {
        let spec = service["spec"]
        let ports = portsCell(spec["ports"])
        return [
            .string(service["metadata"]["name"].tableString),
            .string(type(spec)),
            .string(clusterIP(spec)),
            .string(externalIP(service)),
            .string(ports.isEmpty ? "<none>" : ports),
            .string(TableTime.since(service["metadata"]["creationTimestamp"], now: now)),
            .string(TableFormat.labels(spec["selector"])),
        ]
    }

    /// `spec.type`, which the API server defaults to `ClusterIP`.
    private static func type(_ spec: JSONValue) -> String {
        spec["type"].stringValue ?? "ClusterIP"
    }

    /// `spec.clusterIP` wins over `spec.clusterIPs[0]`, as the v1 to internal conversion decides.
    private static func clusterIP(_ spec: JSONValue) -> String {
        let single = spec["clusterIP"].tableString
        let ip = single.isEmpty ? spec["clusterIPs"][0].tableString : single
        return ip.isEmpty ? "<none>" : ip
    }

    /// `getServiceExternalIP` with `wide` set: external IPs, load balancer ingress, or
    /// `<pending>`/`<none>`; the external name for ExternalName services.
    private static func externalIP(_ service: JSONValue) -> String {
        let spec = service["spec"]
        let externalIPs = spec["externalIPs"].tableList.map(\.tableString)
        switch type(spec) {
        case "ClusterIP", "NodePort":
            return externalIPs.isEmpty ? "<none>" : externalIPs.joined(separator: ",")
        case "LoadBalancer":
            let ingress = Set(
                service["status"]["loadBalancer"]["ingress"].tableList.compactMap { entry -> String? in
                    let ip = entry["ip"].tableString
                    if !ip.isEmpty { return ip }
                    let hostname = entry["hostname"].tableString
                    return hostname.isEmpty ? nil : hostname
                }
            ).sorted()
            if !externalIPs.isEmpty { return (ingress + externalIPs).joined(separator: ",") }
            return ingress.isEmpty ? "<pending>" : ingress.joined(separator: ",")
        case "ExternalName":
            return spec["externalName"].tableString
        default:
            return "<unknown>"
        }
    }

    /// `makePortString`: `80/TCP` or `80:30036/TCP` with a node port, comma-joined.
    private static func portsCell(_ ports: JSONValue) -> String {
        ports.tableList.map { port in
            let number = port["port"].tableInt
            let proto = port["protocol"].stringValue ?? "TCP"
            let nodePort = port["nodePort"].tableInt
            return nodePort > 0 ? "\(number):\(nodePort)/\(proto)" : "\(number)/\(proto)"
        }.joined(separator: ",")
    }
}
