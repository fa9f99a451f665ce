import NodeRuntime

/// An address clients connect to: a Service IP (cluster or external) and
/// port, or a NodePort (any local address of the node).
package struct Frontend: Hashable, Sendable, Comparable, CustomStringConvertible {
    package enum Address: Hashable, Sendable, Comparable {
        case ip(IPv4Address)
        case nodePort
    }

    package var address: Address
    package var proto: L4Protocol
    package var port: UInt16

    package init(address: Address, proto: L4Protocol, port: UInt16) {
        self.address = address
        self.proto = proto
        self.port = port
    }

    package var ip: IPv4Address? {
        if case .ip(let ip) = address { return ip }
        return nil
    }

    package var description: String {
        switch address {
        case .ip(let ip): "\(ip):\(port)/\(proto.rawValue)"
        case .nodePort: "nodePort \(port)/\(proto.rawValue)"
        }
    }

    package static func < (lhs: Frontend, rhs: Frontend) -> Bool {
        (lhs.address, lhs.proto, lhs.port) < (rhs.address, rhs.proto, rhs.port)
    }
}

/// Where a connection is sent: an endpoint's pod IP and port.
package struct BackendAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    package var ip: IPv4Address
    package var port: UInt16

    package init(ip: IPv4Address, port: UInt16) {
        self.ip = ip
        self.port = port
    }

    package var description: String { "\(ip):\(port)" }

    package static func < (lhs: BackendAddress, rhs: BackendAddress) -> Bool {
        (lhs.ip, lhs.port) < (rhs.ip, rhs.port)
    }
}
