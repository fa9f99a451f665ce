import Foundation
import NodeRuntime

/// Network namespaces for dataplane tests and benchmarks: a client, a node
/// (where the proxy programs its table) and pods on the node's bridge, each
/// pod running a `LabServer`. Nothing touches the host's own interfaces;
/// `remove()` deletes every namespace (their veths and the bridge go with them).
///
///     client 10.99.0.1 ── veth ── 10.99.0.2 node ── br0 10.42.0.1/24 ── pods 10.42.0.10+i
package final class NetnsLab: @unchecked Sendable {
    package static let clientIP = IPv4Address(10, 99, 0, 1)
    package static let nodeIP = IPv4Address(10, 99, 0, 2)
    package static let gateway = IPv4Address(10, 42, 0, 1)
    package static let podCIDR = "10.42.0.0/16"
    package static let serviceCIDR = "10.43.0.0/16"

    package let prefix: String
    package let nodeName: String
    package let clientName: String
    package private(set) var podNames: [String] = []
    package let node: NetworkNamespace
    package let client: NetworkNamespace
    package private(set) var pods: [NetworkNamespace] = []
    package private(set) var servers: [LabServer] = []

    package var nodePath: String { "/run/netns/\(nodeName)" }

    package static func podIP(_ index: Int) -> IPv4Address { IPv4Address(10, 42, 0, UInt8(10 + index)) }

    /// Builds the lab with `pods` pods serving on `port`. On failure what
    /// was made is removed before the error is thrown.
    package init(pods count: Int, port: UInt16 = 8080, prefix: String = "skiff-dp") throws {
        self.prefix = "\(prefix)-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        nodeName = "\(self.prefix)-node"
        clientName = "\(self.prefix)-client"
        var made: [String] = []
        do {
            for name in [nodeName, clientName] {
                try LabCommand.ip("netns add \(name)")
                made.append(name)
            }
            node = try NetworkNamespace(path: "/run/netns/\(nodeName)")
            client = try NetworkNamespace(path: "/run/netns/\(clientName)")
            try LabCommand.ip("link set lo up", in: nodeName)
            try LabCommand.ip("link set lo up", in: clientName)
            try LabCommand.ip("link add c0 netns \(clientName) type veth peer name n0 netns \(nodeName)")
            try LabCommand.ip("addr add \(Self.clientIP)/24 dev c0", in: clientName)
            try LabCommand.ip("link set c0 up", in: clientName)
            try LabCommand.ip("route add \(Self.serviceCIDR) via \(Self.nodeIP)", in: clientName)
            try LabCommand.ip("route add 10.42.0.0/16 via \(Self.nodeIP)", in: clientName)
            try LabCommand.ip("addr add \(Self.nodeIP)/24 dev n0", in: nodeName)
            try LabCommand.ip("link set n0 up", in: nodeName)
            try LabCommand.ip("route add default via \(Self.clientIP)", in: nodeName)
            try LabCommand.ip("link add br0 type bridge", in: nodeName)
            try LabCommand.ip("addr add \(Self.gateway)/24 dev br0", in: nodeName)
            try LabCommand.ip("link set br0 up", in: nodeName)
            try node.setIPv4Forwarding(true)
            // Traffic to an unserved Service IP is routed back out n0; the
            // redirect the node would send for that uses up the per-host ICMP
            // budget, and the reject's port-unreachable would then be dropped.
            try LabCommand.run("/usr/sbin/ip", ["netns", "exec", nodeName, "sysctl", "-q", "-w", "net.ipv4.conf.all.send_redirects=0", "net.ipv4.conf.n0.send_redirects=0"])
            for i in 0..<count {
                let name = "\(self.prefix)-p\(i)"
                try LabCommand.ip("netns add \(name)")
                made.append(name)
                podNames.append(name)
                let namespace = try NetworkNamespace(path: "/run/netns/\(name)")
                pods.append(namespace)
                try LabCommand.ip("link set lo up", in: name)
                try LabCommand.ip("link add v\(i) netns \(nodeName) type veth peer name eth0 netns \(name)")
                try LabCommand.ip("link set v\(i) master br0", in: nodeName)
                try LabCommand.ip("link set v\(i) type bridge_slave hairpin on", in: nodeName)
                try LabCommand.ip("link set v\(i) up", in: nodeName)
                try LabCommand.ip("addr add \(Self.podIP(i))/24 dev eth0", in: name)
                try LabCommand.ip("link set eth0 up", in: name)
                try LabCommand.ip("route add default via \(Self.gateway)", in: name)
                servers.append(try LabServer(name: "pod\(i)", namespace: namespace, port: port))
            }
        } catch {
            for server in servers { server.stop() }
            for name in made { _ = try? LabCommand.ip("netns del \(name)", allowFailure: true) }
            throw error
        }
    }

    /// Adds a second server on another port in every pod (multi-port Services).
    package func serve(port: UInt16) throws {
        for (i, pod) in pods.enumerated() {
            servers.append(try LabServer(name: "pod\(i):\(port)", namespace: pod, port: port))
        }
    }

    /// Stops the servers and deletes every namespace the lab made.
    package func remove() {
        for server in servers { server.stop() }
        servers = []
        for name in [clientName, nodeName] + podNames {
            _ = try? LabCommand.ip("netns del \(name)", allowFailure: true)
        }
    }
}
