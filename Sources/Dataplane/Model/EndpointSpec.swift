import NodeRuntime

/// One backend address of a Service, as an EndpointSlice endpoint carries it:
/// its pod IP, its ports by Service port name, whether it is ready, and
/// whether it runs on this node (for the `Local` traffic policies).
package struct EndpointSpec: Hashable, Sendable {
    package struct Port: Hashable, Sendable {
        package var name: String
        package var proto: L4Protocol
        package var port: UInt16

        package init(name: String = "", proto: L4Protocol = .tcp, port: UInt16) {
            self.name = name
            self.proto = proto
            self.port = port
        }
    }

    package var ip: IPv4Address
    package var ports: [Port]
    package var ready: Bool
    package var local: Bool

    package init(ip: IPv4Address, ports: [Port], ready: Bool = true, local: Bool = true) {
        self.ip = ip
        self.ports = ports
        self.ready = ready
        self.local = local
    }

    /// An endpoint serving every port of a one-port Service on `port`.
    package init(ip: IPv4Address, port: UInt16, proto: L4Protocol = .tcp, ready: Bool = true, local: Bool = true) {
        self.init(ip: ip, ports: [Port(name: "", proto: proto, port: port)], ready: ready, local: local)
    }
}
