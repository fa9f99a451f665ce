import Dataplane
import NetnsLab
import NodeRuntime

/// The Services a run programs: N one-port ClusterIP Services, 3 endpoints
/// each, all pointing at the lab's real pods so any of them can be
/// connected to. Cluster IPs grow with the index, and both backends order
/// their frontends by address, so the last Service is the last rule
/// iptables walks (its worst case) and the first is the first.
enum BenchServices {
    static let port: UInt16 = 80
    static let targetPort: UInt16 = 8080
    /// Only the last Service has one, so the NodePort path exists without
    /// N NodePorts (a cluster has far fewer of those than Services).
    static let nodePort: UInt16 = 30080
    /// The throughput Service, below every numbered one: its chain position
    /// does not matter (only a connection's first packet walks the rules).
    static let iperfClusterIP = IPv4Address(10, 43, 0, 100)
    static let iperfPort: UInt16 = 5201

    /// 10.43.1.1, 10.43.1.2 … 10.43.1.250, 10.43.2.1 …
    static func clusterIP(_ index: Int) -> IPv4Address {
        IPv4Address(10, 43, UInt8(1 + index / 250), UInt8(index % 250 + 1))
    }

    static func id(_ index: Int) -> ServiceID {
        ServiceID(namespace: "bench", name: "svc-\(String(repeating: "0", count: max(0, 5 - String(index).count)))\(index)")
    }

    /// The lab's pods 0, 1, 2: where every Service sends its connections.
    static let pods = (0..<3).map(NetnsLab.podIP)
    /// An address in the pod network that no pod holds: an endpoint swapped
    /// in and out for the same-count change (nothing connects meanwhile).
    static let spareEndpoint = NetnsLab.podIP(3)

    static func service(_ index: Int, of count: Int, endpoints: [IPv4Address] = pods) -> ServiceSpec {
        ServiceSpec(
            id: id(index), clusterIP: clusterIP(index),
            ports: [ServicePortSpec(port: port, nodePort: index == count - 1 ? nodePort : nil)],
            endpoints: endpoints.map { EndpointSpec(ip: $0, port: targetPort) })
    }

    static func all(_ count: Int) -> [ServiceSpec] {
        (0..<count).map { service($0, of: count) }
    }

    static func iperf() -> ServiceSpec {
        ServiceSpec(
            id: ServiceID(namespace: "bench", name: "iperf"), clusterIP: iperfClusterIP,
            ports: [ServicePortSpec(port: iperfPort)],
            endpoints: [EndpointSpec(ip: NetnsLab.podIP(0), port: iperfPort)])
    }
}
