import Dataplane
import NodeRuntime
import Testing

/// What the proxy refuses, with which field and words; and what it compiles.
@Suite("Forwarding compiler")
struct ForwardingCompilerTests {
    let compiler: ForwardingCompiler

    init() throws {
        compiler = ForwardingCompiler(config: DataplaneConfig(podCIDRs: [try IPv4Network(parsing: "10.42.0.0/16")]))
    }

    static let id = ServiceID(namespace: "default", name: "web")
    static let vip = IPv4Address(10, 43, 0, 10)

    func service(ports: [ServicePortSpec], endpoints: [EndpointSpec] = [], id: ServiceID = id, vip: IPv4Address = vip) -> ServiceSpec {
        ServiceSpec(id: id, clusterIP: vip, ports: ports, endpoints: endpoints)
    }

    func refusal(_ services: [ServiceSpec]) -> DataplaneError? {
        do {
            _ = try compiler.compile(services)
            return nil
        } catch {
            return error
        }
    }

    @Test("port 0 is refused, naming the field")
    func portZero() {
        let error = refusal([service(ports: [ServicePortSpec(port: 0)])])
        #expect(error == .invalid(service: Self.id, field: "spec.ports[0].port", message: "Invalid value: 0: must be between 1 and 65535, inclusive"))
        #expect(error?.description == "service \"default/web\" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive")
    }

    @Test("a NodePort outside the range is refused with Kubernetes' message")
    func nodePortRange() {
        let error = refusal([service(ports: [ServicePortSpec(port: 80, nodePort: 8080)])])
        #expect(error == .invalid(
            service: Self.id, field: "spec.ports[0].nodePort",
            message: "Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767"))
    }

    @Test("a NodePort another Service holds is refused")
    func nodePortTaken() {
        let other = ServiceID(namespace: "default", name: "api")
        let error = refusal([
            service(ports: [ServicePortSpec(port: 80, nodePort: 30036)]),
            service(ports: [ServicePortSpec(port: 80, nodePort: 30036)], id: other, vip: IPv4Address(10, 43, 0, 11)),
        ])
        #expect(error == .invalid(service: Self.id, field: "spec.ports[0].nodePort", message: "Invalid value: 30036: provided port is already allocated (by default/api)"))
    }

    @Test("the same port and protocol twice in one Service is refused; TCP and UDP on one port are fine")
    func duplicatePort() throws {
        let error = refusal([service(ports: [ServicePortSpec(name: "a", port: 80), ServicePortSpec(name: "b", port: 80)])])
        #expect(error == .invalid(service: Self.id, field: "spec.ports[1]", message: "Duplicate value: {port 80, protocol TCP}"))
        let table = try compiler.compile([service(ports: [ServicePortSpec(name: "dns", proto: .udp, port: 53), ServicePortSpec(name: "dns-tcp", proto: .tcp, port: 53)])])
        #expect(table.rules.count == 2)
    }

    @Test("an endpoint outside the pod network is refused")
    func endpointOutsidePods() {
        let error = refusal([service(ports: [ServicePortSpec(port: 80)], endpoints: [EndpointSpec(ip: IPv4Address(192, 168, 1, 5), port: 8080)])])
        #expect(error == .invalid(service: Self.id, field: "endpoints[0].ip", message: "Invalid value: \"192.168.1.5\": not in the pod network (10.42.0.0/16)"))
    }

    @Test("endpoints are matched to Service ports by name; unready ones are left out")
    func namedPorts() throws {
        let endpoints = [
            EndpointSpec(ip: IPv4Address(10, 42, 0, 5), ports: [.init(name: "http", port: 8080), .init(name: "metrics", port: 9090)]),
            EndpointSpec(ip: IPv4Address(10, 42, 0, 6), ports: [.init(name: "http", port: 8081)]),
            EndpointSpec(ip: IPv4Address(10, 42, 0, 7), ports: [.init(name: "http", port: 8080)], ready: false),
        ]
        let table = try compiler.compile([service(ports: [ServicePortSpec(name: "http", port: 80), ServicePortSpec(name: "metrics", port: 9100)], endpoints: endpoints)])
        let http = try #require(table.rules[Frontend(address: .ip(Self.vip), proto: .tcp, port: 80)])
        #expect(http.backends == [BackendAddress(ip: IPv4Address(10, 42, 0, 5), port: 8080), BackendAddress(ip: IPv4Address(10, 42, 0, 6), port: 8081)])
        let metrics = try #require(table.rules[Frontend(address: .ip(Self.vip), proto: .tcp, port: 9100)])
        #expect(metrics.backends == [BackendAddress(ip: IPv4Address(10, 42, 0, 5), port: 9090)])
    }

    @Test("traffic policies: external frontends masquerade unless Local; Local keeps node-local endpoints")
    func policies() throws {
        var spec = service(
            ports: [ServicePortSpec(name: "http", port: 80, nodePort: 30080)],
            endpoints: [EndpointSpec(ip: IPv4Address(10, 42, 0, 5), port: 8080, local: true), EndpointSpec(ip: IPv4Address(10, 42, 1, 5), port: 8080, local: false)])
        spec.ports[0].name = ""
        spec.externalIPs = [IPv4Address(10, 43, 200, 1)]
        let cluster = try compiler.compile([spec])
        let nodePort = try #require(cluster.rules[Frontend(address: .nodePort, proto: .tcp, port: 30080)])
        #expect(nodePort.masquerade && nodePort.backends.count == 2)
        #expect(cluster.rules[Frontend(address: .ip(Self.vip), proto: .tcp, port: 80)]?.masquerade == false)
        #expect(cluster.rules[Frontend(address: .ip(IPv4Address(10, 43, 200, 1)), proto: .tcp, port: 80)]?.masquerade == true)
        spec.externalTrafficLocal = true
        spec.internalTrafficLocal = true
        let local = try compiler.compile([spec])
        let localNodePort = try #require(local.rules[Frontend(address: .nodePort, proto: .tcp, port: 30080)])
        #expect(!localNodePort.masquerade && localNodePort.backends.map(\.ip) == [IPv4Address(10, 42, 0, 5)])
        #expect(local.rules[Frontend(address: .ip(Self.vip), proto: .tcp, port: 80)]?.backends.count == 1)
    }

    @Test("a diff names the UDP backends whose conntrack entries must go")
    func staleUDP() {
        let a = BackendAddress(ip: IPv4Address(10, 42, 0, 5), port: 53), b = BackendAddress(ip: IPv4Address(10, 42, 0, 6), port: 53)
        let frontend = Frontend(address: .ip(Self.vip), proto: .udp, port: 53)
        let old = ForwardingRule(frontend: frontend, service: Self.id, portName: "", backends: [a, b], masquerade: false, affinityTimeout: nil)
        var new = old
        new.backends = [b]
        let diff = ForwardingDiff(from: [old], to: [new])
        #expect(diff.staleUDPBackends.map(\.backend) == [a])
        #expect(ForwardingDiff(from: [ForwardingRule(frontend: frontend, service: Self.id, portName: "", backends: [], masquerade: false, affinityTimeout: nil)], to: [new]).revivedUDPFrontends == [frontend])
    }
}
