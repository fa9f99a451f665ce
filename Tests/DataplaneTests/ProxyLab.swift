import Dataplane
import Foundation
import Logging
import NetnsLab
import NodeRuntime
import Testing

/// Which backend a traffic test programs: every traffic test runs on both.
enum BackendKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case nftables
    case iptables

    var testDescription: String { rawValue }

    func make(_ config: DataplaneConfig) throws -> any ProxyBackend {
        switch self {
        case .nftables: try NFTablesBackend(config: config)
        case .iptables: try IPTablesBackend(config: config)
        }
    }
}

/// A lab (client, node, pods with servers) and a started proxy in its node
/// namespace. `with` removes every namespace afterwards, failed or not;
/// the proxy's table and chains live in the node namespace and go with it.
struct ProxyLab {
    let lab: NetnsLab
    let proxy: ServiceProxy
    let config: DataplaneConfig

    static let serviceID = ServiceID(namespace: "default", name: "web")
    static let clusterIP = IPv4Address(10, 43, 0, 10)

    static func with(
        _ kind: BackendKind, pods: Int = 3, _ body: (ProxyLab) async throws -> Void
    ) async throws {
        let lab = try NetnsLab(pods: pods)
        do {
            let config = DataplaneConfig(
                netnsPath: lab.nodePath, podCIDRs: [try IPv4Network(parsing: NetnsLab.podCIDR)],
                repairInterval: .milliseconds(200))
            let proxy = ServiceProxy(config: config, backend: try kind.make(config), logger: Logger(label: "test"))
            try await proxy.start()
            do {
                try await body(ProxyLab(lab: lab, proxy: proxy, config: config))
            } catch {
                try? await proxy.stop(removeRules: false)
                throw error
            }
            try await proxy.stop(removeRules: false)
        } catch {
            lab.remove()
            throw error
        }
        lab.remove()
    }

    /// The walkthrough's Service: port 80 → pods' 8080, NodePort 30036.
    static func web(endpoints: [Int], nodePort: UInt16? = 30036, proto: L4Protocol = .tcp, affinity: UInt32? = nil) -> ServiceSpec {
        ServiceSpec(
            id: serviceID, clusterIP: clusterIP,
            ports: [ServicePortSpec(name: "http", proto: proto, port: 80, nodePort: nodePort)],
            affinityTimeoutSeconds: affinity,
            endpoints: endpoints.map { EndpointSpec(ip: NetnsLab.podIP($0), ports: [.init(name: "http", proto: proto, port: 8080)]) })
    }

    /// Which pods answered `count` new TCP connections from the client.
    func tcpSpread(to ip: IPv4Address, port: UInt16, count: Int = 300) -> [String: Int] {
        var seen: [String: Int] = [:]
        var failures = 0
        for _ in 0..<count {
            switch LabSocket.tcpRequest(from: lab.client, to: ip, port: port, timeoutMilliseconds: 1000) {
            case .reply(let name, _): seen[name, default: 0] += 1
            case let other:
                seen["\(other)", default: 0] += 1
                // A broken path fails every time: stop instead of waiting out each timeout.
                failures += 1
                if failures == 3 { return seen }
            }
        }
        return seen
    }

    func tcp(to ip: IPv4Address, port: UInt16, from namespace: NetworkNamespace? = nil) -> LabSocket.Outcome {
        LabSocket.tcpRequest(from: namespace ?? lab.client, to: ip, port: port)
    }
}

extension LabSocket.Outcome {
    var replier: String? {
        if case .reply(let name, _) = self { return name }
        return nil
    }
}
