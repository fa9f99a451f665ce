import NodeRuntime

/// What the node's Service proxy needs besides the dataplane's own settings.
package struct NodeProxyConfig: Sendable {
    /// This node's name (endpoints on it are local).
    package var nodeName: String
    /// Where `type: LoadBalancer` Services get their address from; nil leaves
    /// them pending (no `status.loadBalancer.ingress`), as on a cluster
    /// without a load balancer implementation. Addresses another component
    /// writes to the status are forwarded either way.
    package var loadBalancerCIDR: IPv4Network?

    package init(nodeName: String, loadBalancerCIDR: IPv4Network? = nil) {
        self.nodeName = nodeName
        self.loadBalancerCIDR = loadBalancerCIDR
    }
}
