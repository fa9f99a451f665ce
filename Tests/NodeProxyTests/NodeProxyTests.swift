import Dataplane
import Logging
import NodeRuntime
import SkiffAPI
import Testing

@testable import NodeProxy

/// The proxy's list/watch loop against an API server in memory and a
/// recording dataplane: first sync after both lists, one Service per event,
/// resume from the last resourceVersion, relist after 410.
@Suite struct NodeProxyTests {
    static let services = "/api/v1/services"
    static let slices = "/apis/discovery.k8s.io/v1/endpointslices"

    static func service(_ name: String, rv: Int, type: String = "ClusterIP", clusterIP: String = "10.43.0.10") -> JSONValue {
        [
            "metadata": ["name": .string(name), "namespace": "default", "resourceVersion": .string("\(rv)")],
            "spec": ["type": .string(type), "clusterIP": .string(clusterIP), "ports": [["port": 80, "protocol": "TCP"]]],
        ]
    }

    static func slice(_ name: String, service: String, rv: Int, ips: [String]) -> JSONValue {
        [
            "metadata": [
                "name": .string(name), "namespace": "default", "resourceVersion": .string("\(rv)"),
                "labels": ["kubernetes.io/service-name": .string(service)],
            ],
            "addressType": "IPv4", "ports": [["name": "", "port": 8083, "protocol": "TCP"]],
            "endpoints": .array(ips.map { ["addresses": [.string($0)], "conditions": ["ready": true], "nodeName": "node-a"] }),
        ]
    }

    static func readyIPs(_ spec: ServiceSpec) -> [String] {
        spec.endpoints.filter(\.ready).map { "\($0.ip)" }
    }

    @Test func syncsOnceBothKindsAreListedThenFollowsWatchesAndRelists() async throws {
        let api = FakeAPI()
        let dataplane = RecordingDataplane(podCIDRs: [try IPv4Network(parsing: "10.42.0.0/16")])
        api.setList(Self.services, [Self.service("web", rv: 5)], version: 10)
        api.setList(Self.slices, [Self.slice("web-a", service: "web", rv: 6, ips: ["10.42.0.5"])], version: 10)
        let proxy = NodeProxy(
            config: NodeProxyConfig(nodeName: "node-a"), dataplane: dataplane, transport: api, logger: Logger(label: "test"))
        let task = Task { await proxy.run() }
        defer { task.cancel() }
        let web = ServiceID(namespace: "default", name: "web")

        // One full sync, with the Service's endpoints (never without them).
        try await eventually("the first sync") { !dataplane.calls.isEmpty }
        guard case .all(let first, first: true) = dataplane.calls[0] else {
            Issue.record("first call: \(dataplane.calls[0])")
            return
        }
        #expect(first.map(\.id) == [web])
        #expect(first.first.map(Self.readyIPs) == ["10.42.0.5"])
        #expect(first.first?.endpoints.first?.local == true)

        // A slice event reprograms that one Service.
        try await eventually("both watches") { api.watchedFrom(Self.slices) == ["10"] && api.watchedFrom(Self.services) == ["10"] }
        api.send(Self.slices, "MODIFIED", Self.slice("web-a", service: "web", rv: 11, ips: ["10.42.0.5", "10.42.0.6"]))
        try await eventually("the upsert") { dataplane.calls.count == 2 }
        guard case .program(let updated) = dataplane.calls[1] else {
            Issue.record("second call: \(dataplane.calls[1])")
            return
        }
        #expect(Self.readyIPs(updated) == ["10.42.0.5", "10.42.0.6"])
        // The same again changes nothing, so nothing is programmed.
        api.send(Self.slices, "MODIFIED", Self.slice("web-a", service: "web", rv: 12, ips: ["10.42.0.5", "10.42.0.6"]))

        // A watch the server ends resumes from the last version seen.
        api.endWatch(Self.slices)
        try await eventually("the resumed slice watch") { api.watchedFrom(Self.slices) == ["10", "12"] }
        #expect(api.listCount(Self.slices) == 1)

        // A new Service is programmed, a deleted one removed.
        api.send(Self.services, "ADDED", Self.service("api", rv: 13, clusterIP: "10.43.0.11"))
        api.send(Self.services, "DELETED", Self.service("web", rv: 14))
        try await eventually("add and removal") { dataplane.calls.count == 4 }
        #expect(dataplane.calls[2] == .program(ServiceSpec(
            id: ServiceID(namespace: "default", name: "api"), clusterIP: try IPv4Address(parsing: "10.43.0.11"),
            ports: [ServicePortSpec(port: 80)])))
        #expect(dataplane.calls[3] == .unprogram(web))

        // 410 Gone: the Services are listed again and the whole state replaced.
        api.setList(Self.services, [Self.service("web", rv: 20)], version: 21)
        api.send(Self.services, "ERROR", ["kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 410, "reason": "Expired", "message": "too old resource version: 10 (15)"])
        try await eventually("the relist") { api.listCount(Self.services) == 2 && dataplane.calls.count == 5 }
        guard case .all(let relisted, first: false) = dataplane.calls[4] else {
            Issue.record("after the relist: \(dataplane.calls[4])")
            return
        }
        #expect(relisted.map(\.id) == [web])
        #expect(relisted.first.map(Self.readyIPs) == ["10.42.0.5", "10.42.0.6"])
        try await eventually("the watch after the relist") { api.watchedFrom(Self.services).last == "21" }
    }

    @Test func loadBalancerServicesGetAnAddressWrittenToTheirStatus() async throws {
        let api = FakeAPI()
        let dataplane = RecordingDataplane(podCIDRs: [try IPv4Network(parsing: "10.42.0.0/16")])
        var held = Self.service("old", rv: 3, type: "LoadBalancer", clusterIP: "10.43.0.20")
        held["status"] = ["loadBalancer": ["ingress": [["ip": "10.44.0.1", "ipMode": "VIP"]]]]
        api.setList(Self.services, [Self.service("new", rv: 4, type: "LoadBalancer", clusterIP: "10.43.0.21"), held], version: 5)
        api.setList(Self.slices, [], version: 5)
        let proxy = NodeProxy(
            config: NodeProxyConfig(nodeName: "node-a", loadBalancerCIDR: try IPv4Network(parsing: "10.44.0.0/24")),
            dataplane: dataplane, transport: api, logger: Logger(label: "test"))
        let task = Task { await proxy.run() }
        defer { task.cancel() }
        try await eventually("the status patch") { !api.patches.isEmpty }
        #expect(api.patches.first?.0 == "/api/v1/namespaces/default/services/new/status")
        #expect(api.patches.first?.1 == ["status": ["loadBalancer": ["ingress": [["ip": "10.44.0.2", "ipMode": "VIP"]]]]])
        // The address already in a status is forwarded as an external IP.
        try await eventually("the first sync") { !dataplane.calls.isEmpty }
        guard case .all(let specs, first: true) = dataplane.calls[0] else {
            Issue.record("first call: \(dataplane.calls[0])")
            return
        }
        let old = specs.first { $0.id.name == "old" }
        #expect(old?.externalIPs == [try IPv4Address(parsing: "10.44.0.1")])
        #expect(specs.first { $0.id.name == "new" }?.externalIPs == [])
    }
}
