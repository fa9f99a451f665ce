import NodeRuntime

/// What the proxy needs of one Service and its endpoints: the Service's
/// virtual addresses and ports, its policies, and its endpoints. The control
/// plane (a later issue) fills these from Services and EndpointSlices.
package struct ServiceSpec: Hashable, Sendable {
    package var id: ServiceID
    /// nil: headless or ExternalName, nothing to forward on a cluster IP.
    package var clusterIP: IPv4Address?
    /// `spec.externalIPs` and the LoadBalancer ingress IPs: forwarded like the
    /// NodePort (masqueraded unless `externalTrafficLocal`).
    package var externalIPs: [IPv4Address]
    package var ports: [ServicePortSpec]
    /// `sessionAffinity: ClientIP` with `timeoutSeconds`; nil is `None`.
    package var affinityTimeoutSeconds: UInt32?
    /// `externalTrafficPolicy: Local`: NodePort and external IPs use only this
    /// node's endpoints and keep the client's source address.
    package var externalTrafficLocal: Bool
    /// `internalTrafficPolicy: Local`: the cluster IP uses only this node's endpoints.
    package var internalTrafficLocal: Bool
    package var endpoints: [EndpointSpec]

    package init(
        id: ServiceID, clusterIP: IPv4Address?, externalIPs: [IPv4Address] = [], ports: [ServicePortSpec],
        affinityTimeoutSeconds: UInt32? = nil, externalTrafficLocal: Bool = false,
        internalTrafficLocal: Bool = false, endpoints: [EndpointSpec] = []
    ) {
        self.id = id
        self.clusterIP = clusterIP
        self.externalIPs = externalIPs
        self.ports = ports
        self.affinityTimeoutSeconds = affinityTimeoutSeconds
        self.externalTrafficLocal = externalTrafficLocal
        self.internalTrafficLocal = internalTrafficLocal
        self.endpoints = endpoints
    }

    /// Kubernetes' default `sessionAffinityConfig.clientIP.timeoutSeconds` (3 hours).
    package static let defaultAffinityTimeout: UInt32 = 10_800
}
