import Dataplane
import NodeRuntime
import SkiffAPI
import Testing

@testable import NodeProxy

@Suite("Service translation")
struct ServiceTranslatorTests {
    let translator: ServiceTranslator

    init() throws {
        translator = ServiceTranslator(nodeName: "node-a", podCIDRs: [try IPv4Network(parsing: "10.42.0.0/16")])
    }

    static func service(_ yaml: String) throws -> JSONValue {
        try JSONValue(jsonString: yaml)
    }

    static func ip(_ text: String) throws -> IPv4Address { try IPv4Address(parsing: text) }

    static let web = """
        {"metadata": {"name": "web", "namespace": "shop"},
         "spec": {"type": "NodePort", "clusterIP": "10.43.0.10", "ports": [
           {"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP", "nodePort": 30036},
           {"name": "dns", "port": 53, "protocol": "UDP", "nodePort": 30053}]}}
        """

    static func slice(_ name: String, service: String = "web", ports: String, endpoints: String) throws -> JSONValue {
        try JSONValue(jsonString: """
            {"metadata": {"name": "\(name)", "namespace": "shop", "labels": {"kubernetes.io/service-name": "\(service)"}},
             "addressType": "IPv4", "ports": \(ports), "endpoints": \(endpoints)}
            """)
    }

    @Test("cluster IP, ports with node ports, endpoints with their ports by name, readiness and locality")
    func nodePortService() throws {
        let slice = try Self.slice("web-abc", ports: #"[{"name": "http", "port": 8083, "protocol": "TCP"}, {"name": "dns", "port": 5353, "protocol": "UDP"}]"#, endpoints: """
            [{"addresses": ["10.42.0.5"], "conditions": {"ready": true}, "nodeName": "node-a"},
             {"addresses": ["10.42.1.7"], "conditions": {"ready": false, "serving": false}, "nodeName": "node-b"},
             {"addresses": ["10.42.0.9"]}]
            """)
        let spec = try #require(translator.spec(for: try Self.service(Self.web), slices: [slice]))
        #expect(spec.id == ServiceID(namespace: "shop", name: "web"))
        #expect(spec.clusterIP == (try Self.ip("10.43.0.10")))
        #expect(spec.ports == [
            ServicePortSpec(name: "http", proto: .tcp, port: 80, nodePort: 30036),
            ServicePortSpec(name: "dns", proto: .udp, port: 53, nodePort: 30053),
        ])
        let ports = [EndpointSpec.Port(name: "http", proto: .tcp, port: 8083), EndpointSpec.Port(name: "dns", proto: .udp, port: 5353)]
        #expect(spec.endpoints == [
            EndpointSpec(ip: try Self.ip("10.42.0.5"), ports: ports, ready: true, local: true),
            EndpointSpec(ip: try Self.ip("10.42.1.7"), ports: ports, ready: false, local: false),
            // No conditions: ready, as the API documents a nil `ready`.
            EndpointSpec(ip: try Self.ip("10.42.0.9"), ports: ports, ready: true, local: false),
        ])
        #expect(spec.affinityTimeoutSeconds == nil)
        #expect(!spec.externalTrafficLocal && !spec.internalTrafficLocal)
    }

    @Test("ClusterIP Services have no node ports even when the object carries one")
    func clusterIPHasNoNodePorts() throws {
        var service = try Self.service(Self.web)
        service["spec"]["type"] = "ClusterIP"
        let spec = try #require(translator.spec(for: service, slices: []))
        #expect(spec.ports.allSatisfy { $0.nodePort == nil })
        #expect(spec.endpoints.isEmpty)
    }

    @Test("headless, ExternalName, portless and other proxies' Services are not forwarded")
    func skipped() throws {
        var headless = try Self.service(Self.web)
        headless["spec"]["clusterIP"] = "None"
        #expect(translator.spec(for: headless, slices: []) == nil)
        let external = try Self.service(#"{"metadata": {"name": "db"}, "spec": {"type": "ExternalName", "externalName": "db.example.com"}}"#)
        #expect(translator.spec(for: external, slices: []) == nil)
        var portless = try Self.service(Self.web)
        portless["spec"]["ports"] = []
        #expect(translator.spec(for: portless, slices: []) == nil)
        var other = try Self.service(Self.web)
        other["metadata"]["labels"] = ["service.kubernetes.io/service-proxy-name": "cilium"]
        #expect(translator.spec(for: other, slices: []) == nil)
    }

    @Test("session affinity, traffic policies, external IPs and LoadBalancer ingress")
    func policies() throws {
        let service = try Self.service("""
            {"metadata": {"name": "lb", "namespace": "default"},
             "spec": {"type": "LoadBalancer", "clusterIP": "10.43.0.20", "externalIPs": ["192.0.2.1"],
                      "sessionAffinity": "ClientIP", "externalTrafficPolicy": "Local", "internalTrafficPolicy": "Local",
                      "ports": [{"port": 443, "nodePort": 31443}]},
             "status": {"loadBalancer": {"ingress": [{"ip": "198.51.100.7", "ipMode": "VIP"}, {"ip": "198.51.100.8", "ipMode": "Proxy"}, {"hostname": "lb.example.com"}]}}}
            """)
        let spec = try #require(translator.spec(for: service, slices: []))
        #expect(spec.externalIPs == [try Self.ip("192.0.2.1"), try Self.ip("198.51.100.7")])
        #expect(spec.affinityTimeoutSeconds == ServiceSpec.defaultAffinityTimeout)
        #expect(spec.externalTrafficLocal && spec.internalTrafficLocal)
        #expect(spec.ports == [ServicePortSpec(name: "", proto: .tcp, port: 443, nodePort: 31443)])

        var timed = service
        timed["spec"]["sessionAffinityConfig"] = ["clientIP": ["timeoutSeconds": 60]]
        #expect(translator.spec(for: timed, slices: [])?.affinityTimeoutSeconds == 60)
        // The ingress of a Service that is no longer a LoadBalancer is not forwarded.
        var plain = service
        plain["spec"]["type"] = "NodePort"
        #expect(translator.spec(for: plain, slices: [])?.externalIPs == [try Self.ip("192.0.2.1")])
    }

    @Test("an address in two slices counts once; foreign addresses and other address types are dropped")
    func duplicatesAndForeignAddresses() throws {
        let ports = #"[{"name": "http", "port": 8083, "protocol": "TCP"}]"#
        let first = try Self.slice("web-a", ports: ports, endpoints: #"[{"addresses": ["10.42.0.5"], "conditions": {"ready": false}}, {"addresses": ["8.8.8.8"]}]"#)
        let second = try Self.slice("web-b", ports: ports, endpoints: #"[{"addresses": ["10.42.0.5"], "conditions": {"ready": true}}]"#)
        var v6 = try Self.slice("web-c", ports: ports, endpoints: #"[{"addresses": ["fd00::5"]}]"#)
        v6["addressType"] = "IPv6"
        let endpoints = translator.endpoints(of: [first, second, v6])
        #expect(endpoints == [EndpointSpec(ip: try Self.ip("10.42.0.5"), ports: [.init(name: "http", proto: .tcp, port: 8083)], ready: true, local: false)])
    }

    @Test("with no ready endpoint, ones serving while they terminate take the traffic")
    func terminatingFallback() throws {
        let ports = #"[{"name": "http", "port": 8083, "protocol": "TCP"}]"#
        let slice = try Self.slice("web-a", ports: ports, endpoints: """
            [{"addresses": ["10.42.0.5"], "conditions": {"ready": false, "serving": true, "terminating": true}},
             {"addresses": ["10.42.0.6"], "conditions": {"ready": false, "serving": false, "terminating": true}}]
            """)
        #expect(translator.endpoints(of: [slice]).map(\.ready) == [true, false])
        let withReady = try Self.slice("web-b", ports: ports, endpoints: #"[{"addresses": ["10.42.0.7"], "conditions": {"ready": true}}]"#)
        #expect(translator.endpoints(of: [slice, withReady]).map(\.ready) == [false, false, true])
    }

    @Test("the inventory files slices under their Service and reports which Services an event touched")
    func inventory() throws {
        var inventory = ProxyInventory()
        #expect(inventory.apply(.listed(.services, [try Self.service(Self.web)])) == .everything)
        #expect(!inventory.complete)
        let ports = #"[{"name": "http", "port": 8083, "protocol": "TCP"}]"#
        let slice = try Self.slice("web-a", ports: ports, endpoints: #"[{"addresses": ["10.42.0.5"]}]"#)
        #expect(inventory.apply(.listed(.slices, [slice])) == .everything)
        #expect(inventory.complete)
        let web = ServiceID(namespace: "shop", name: "web")
        #expect(inventory.slices(of: web).count == 1)
        // Relabelled to another Service: both are touched, and it moves.
        var moved = slice
        moved["metadata"]["labels"] = ["kubernetes.io/service-name": "api"]
        let api = ServiceID(namespace: "shop", name: "api")
        #expect(inventory.apply(.changed(.slices, moved)) == .services([web, api]))
        #expect(inventory.slices(of: web).isEmpty)
        #expect(inventory.slices(of: api).count == 1)
        #expect(inventory.apply(.deleted(.slices, moved)) == .services([api]))
        #expect(inventory.slices(of: api).isEmpty)
        #expect(inventory.apply(.deleted(.services, try Self.service(Self.web))) == .services([web]))
        #expect(inventory.services[web] == nil)
    }

    @Test("LoadBalancer addresses: restored from statuses first, then handed out, released when no longer needed")
    func loadBalancerAssignments() throws {
        var assigner = LoadBalancerAssigner(network: try IPv4Network(parsing: "10.44.0.0/30"))
        let holder = try Self.service("""
            {"metadata": {"name": "old", "namespace": "default"}, "spec": {"type": "LoadBalancer", "clusterIP": "10.43.0.2", "ports": [{"port": 80}]},
             "status": {"loadBalancer": {"ingress": [{"ip": "10.44.0.1"}]}}}
            """)
        var fresh = holder
        fresh["metadata"]["name"] = "new"
        fresh["status"] = ["loadBalancer": [:]]
        // "new" comes first in the list, but "old" keeps its address.
        let outcomes = assigner.relisted([fresh, holder])
        let expected: JSONValue = ["status": ["loadBalancer": ["ingress": [["ip": "10.44.0.2", "ipMode": "VIP"]]]]]
        #expect(outcomes == [.patch(ServiceID(namespace: "default", name: "new"), expected)])
        var third = fresh
        third["metadata"]["name"] = "third"
        // A /30 has two hosts: the third Service finds none.
        #expect(assigner.changed(third) == [.failed("service \"default/third\": no free load balancer address in 10.44.0.0/30")])
        // "old" stops being a LoadBalancer: its status is cleared and its address freed.
        var demoted = holder
        demoted["spec"]["type"] = "ClusterIP"
        #expect(assigner.changed(demoted) == [.patch(ServiceID(namespace: "default", name: "old"), ["status": ["loadBalancer": [:]]])])
        // Services another load balancer serves are left to it.
        var classed = third
        classed["spec"]["loadBalancerClass"] = "example.com/lb"
        #expect(assigner.changed(classed).isEmpty)
        var foreign = third
        foreign["status"] = ["loadBalancer": ["ingress": [["ip": "192.0.2.9"]]]]
        #expect(assigner.changed(foreign).isEmpty)
        let retried = assigner.changed(third)
        #expect(retried == [.patch(ServiceID(namespace: "default", name: "third"), ["status": ["loadBalancer": ["ingress": [["ip": "10.44.0.1", "ipMode": "VIP"]]]]])])
    }
}
