/// One port of a Service (`spec.ports[i]`). Endpoints are matched to it by
/// `name`, as kube-proxy matches EndpointSlice ports, which is how a named
/// `targetPort` reaches the proxy already resolved to a number per pod.
package struct ServicePortSpec: Hashable, Sendable {
    package var name: String
    package var proto: L4Protocol
    package var port: UInt16
    /// nil: not exposed on the nodes (a ClusterIP Service).
    package var nodePort: UInt16?

    package init(name: String = "", proto: L4Protocol = .tcp, port: UInt16, nodePort: UInt16? = nil) {
        self.name = name
        self.proto = proto
        self.port = port
        self.nodePort = nodePort
    }
}
