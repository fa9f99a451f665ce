import Dataplane
import Foundation
import NodeRuntime
import SkiffAPI
import Testing

@testable import NodeProxy

/// What the node agent waits on before stopping a deleted pod: the IPs that
/// are ready in the slices of the Services the proxy has programmed.
@Suite struct ProgrammedEndpointsTests {
    @Test func terminatingEndpointsAreNotReadyEvenAsAFallback() throws {
        var slice = NodeProxyTests.slice("web-a", service: "web", rv: 2, ips: ["10.42.0.5", "10.42.0.6"])
        // 10.42.0.6 is terminating and still serving: the only endpoint left would get the
        // traffic as a fallback, but it is not ready, so its pod is not kept waiting.
        var entries = slice["endpoints"].arrayValue ?? []
        entries[1]["conditions"] = ["ready": false, "serving": true, "terminating": true]
        slice["endpoints"] = .array(entries)
        var inventory = ProxyInventory()
        _ = inventory.apply(.listed(.services, [NodeProxyTests.service("web", rv: 1)]))
        _ = inventory.apply(.listed(.slices, [slice]))
        let web = ServiceID(namespace: "default", name: "web")
        let spec = ServiceSpec(id: web, clusterIP: try IPv4Address(parsing: "10.43.0.10"), ports: [ServicePortSpec(port: 80)])
        let endpoints = ProgrammedEndpoints()
        endpoints.update([web: spec], inventory: inventory)
        #expect(endpoints.isReady("10.42.0.5"))
        #expect(!endpoints.isReady("10.42.0.6"))
        // Only Services actually programmed count.
        endpoints.update([:], inventory: inventory)
        #expect(!endpoints.isReady("10.42.0.5"))
    }
}
