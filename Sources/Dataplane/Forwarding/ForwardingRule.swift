/// How one frontend forwards: to these backends (empty: reject), masqueraded
/// or not, pinned per client for `affinityTimeout` seconds or not. Both
/// backends program exactly this; it is what tests and benchmarks compare.
package struct ForwardingRule: Hashable, Sendable {
    package var frontend: Frontend
    package var service: ServiceID
    /// The Service port's name (iptables chain names and comments).
    package var portName: String
    /// Which `spec.ports[i]` it came from, for error messages.
    package var portIndex: Int
    /// Sorted, without duplicates.
    package var backends: [BackendAddress]
    /// Rewrite the source to the node's address on the way out (NodePort and
    /// external IPs with `externalTrafficPolicy: Cluster`), so replies return
    /// through this node.
    package var masquerade: Bool
    package var affinityTimeout: UInt32?

    package init(
        frontend: Frontend, service: ServiceID, portName: String, portIndex: Int = 0, backends: [BackendAddress],
        masquerade: Bool, affinityTimeout: UInt32?
    ) {
        self.frontend = frontend
        self.service = service
        self.portName = portName
        self.portIndex = portIndex
        self.backends = backends
        self.masquerade = masquerade
        self.affinityTimeout = affinityTimeout
    }
}
