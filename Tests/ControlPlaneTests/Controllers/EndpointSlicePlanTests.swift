import SkiffAPI
import Testing

@testable import ControlPlane

/// What the endpoint controllers write for a Service, computed without a store.
@Suite struct EndpointSlicePlanTests {
    static let service: JSONValue = [
        "apiVersion": "v1", "kind": "Service",
        "metadata": ["name": "web", "namespace": "default", "uid": "svc-uid", "labels": ["tier": "front"]],
        "spec": ["selector": ["app": "web"], "clusterIP": "10.43.0.9", "ports": [["name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"]]],
    ]

    static func pod(_ index: Int, ready: Bool = true, port: Int64 = 8083, terminating: Bool = false) -> JSONValue {
        var pod: JSONValue = [
            "metadata": ["name": .string("web-\(index)"), "namespace": "default", "uid": .string("uid-\(index)"), "labels": ["app": "web"]],
            "spec": ["nodeName": "node-a", "containers": [["name": "app", "ports": [["name": "http", "containerPort": .integer(port)]]]]],
            "status": [
                "phase": "Running", "podIP": .string("10.42.\(index / 250).\(index % 250 + 2)"),
                "conditions": [["type": "Ready", "status": ready ? "True" : "False"]],
            ],
        ]
        if terminating { pod["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z" }
        return pod
    }

    static func backends(_ pods: [JSONValue]) -> [EndpointSelection.Backend] {
        EndpointSelection(pods: pods).backends(of: service, selector: ["app": "web"])
    }

    /// What the store would hold after applying `plan` on top of `existing`.
    static func stored(_ plan: EndpointSlicePlan, existing: [JSONValue]) -> [JSONValue] {
        var slices = existing.filter { slice in !plan.deletes.contains { $0.metadata.name == slice.metadata.name } }
        for (current, next) in plan.updates {
            if let index = slices.firstIndex(where: { $0.metadata.name == current.metadata.name }) { slices[index] = next }
        }
        for (offset, var created) in plan.creates.enumerated() {
            created["metadata"]["name"] = .string("web-new\(existing.count)-\(offset)")
            slices.append(created)
        }
        return slices
    }

    static func names(_ slices: [JSONValue]) -> [String] {
        slices.flatMap { $0["endpoints"].arrayValue ?? [] }.compactMap { $0["targetRef"]["name"].stringValue }.sorted()
    }

    @Test func packsAtMostOneHundredPerSliceAndWritesOnlyWhatChanged() {
        let pods = (0..<250).map { Self.pod($0) }
        let first = EndpointSlicePlan(service: Self.service, backends: Self.backends(pods), existing: [])
        #expect(first.creates.map { $0["endpoints"].arrayValue?.count ?? 0 } == [100, 100, 50])
        #expect(first.updates.isEmpty && first.deletes.isEmpty)
        let slices = Self.stored(first, existing: [])
        #expect(Self.names(slices) == pods.compactMap(\.metadata.name).sorted())
        let slice = slices[0]
        #expect(slice["addressType"] == "IPv4")
        #expect(slice.metadata.generateName == "web-")
        #expect(slice.metadata.labels == [
            "tier": "front", "kubernetes.io/service-name": "web",
            "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
        ])
        #expect(slice.metadata.controllerReference?.uid == "svc-uid")
        #expect(slice["ports"] == [["name": "http", "port": 8083, "protocol": "TCP"]])
        #expect(slice["endpoints"][0] == [
            "addresses": ["10.42.0.2"], "conditions": ["ready": true, "serving": true, "terminating": false],
            "nodeName": "node-a", "targetRef": ["kind": "Pod", "namespace": "default", "name": "web-0", "uid": "uid-0"],
        ])

        // Nothing changed: nothing is written.
        let again = EndpointSlicePlan(service: Self.service, backends: Self.backends(pods), existing: slices)
        #expect(again.creates.isEmpty && again.updates.isEmpty && again.deletes.isEmpty)

        // One pod turns unready and one terminates: only their slices are rewritten, in place.
        var changed = pods
        changed[7] = Self.pod(7, ready: false)
        changed[8] = Self.pod(8, terminating: true)
        let update = EndpointSlicePlan(service: Self.service, backends: Self.backends(changed), existing: slices)
        #expect(update.creates.isEmpty && update.deletes.isEmpty && update.updates.count == 1)
        let rewritten = update.updates.first?.next["endpoints"].arrayValue ?? []
        #expect(rewritten.first { $0["targetRef"]["name"] == "web-7" }?["conditions"] == ["ready": false, "serving": false, "terminating": false])
        #expect(rewritten.first { $0["targetRef"]["name"] == "web-8" }?["conditions"] == ["ready": false, "serving": true, "terminating": true])

        // 150 pods go: emptied slices are deleted, new pods fill the room left.
        let fewer = Array(pods[0..<100]) + (300..<310).map { Self.pod($0) }
        let shrink = EndpointSlicePlan(service: Self.service, backends: Self.backends(fewer), existing: slices)
        let after = Self.stored(shrink, existing: slices)
        #expect(Self.names(after) == fewer.compactMap(\.metadata.name).sorted())
        #expect(shrink.creates.isEmpty)
        #expect(after.allSatisfy { ($0["endpoints"].arrayValue?.count ?? 0) <= 100 })
    }

    @Test func aServiceWithoutPodsKeepsOnePlaceholderSlice() {
        let slices = Self.stored(EndpointSlicePlan(service: Self.service, backends: Self.backends((0..<120).map { Self.pod($0) }), existing: []), existing: [])
        let empty = EndpointSlicePlan(service: Self.service, backends: [], existing: slices)
        let after = Self.stored(empty, existing: slices)
        #expect(after.count == 1)
        #expect(after.first?["endpoints"] == [] && after.first?["ports"] == [])
        let fresh = EndpointSlicePlan(service: Self.service, backends: [], existing: [])
        #expect(fresh.creates.count == 1)
    }

    @Test func podsWhoseNamedPortDiffersGetSlicesOfTheirOwn() {
        let pods = [Self.pod(0), Self.pod(1, port: 9090), Self.pod(2)]
        let plan = EndpointSlicePlan(service: Self.service, backends: Self.backends(pods), existing: [])
        let byPort = Dictionary(grouping: plan.creates) { $0["ports"][0]["port"].int64Value ?? 0 }.mapValues(Self.names)
        #expect(byPort == [8083: ["web-0", "web-2"], 9090: ["web-1"]])
    }

    @Test func endpointsSplitReadyFromNotReadyAndDropTerminatingPods() {
        let pods = [Self.pod(0), Self.pod(1, ready: false), Self.pod(2, terminating: true), Self.pod(3, port: 9090)]
        let endpoints = EndpointsController.endpoints(for: Self.service, backends: Self.backends(pods))
        #expect(endpoints.metadata.name == "web")
        #expect(endpoints.metadata.labels == ["tier": "front", "endpoints.kubernetes.io/managed-by": "endpoint-controller"])
        let subsets = endpoints["subsets"].arrayValue ?? []
        #expect(subsets.count == 2)
        #expect(subsets.first?["ports"] == [["name": "http", "port": 8083, "protocol": "TCP"]])
        #expect(subsets.first?["addresses"].arrayValue?.compactMap { $0["targetRef"]["name"].stringValue } == ["web-0"])
        #expect(subsets.first?["notReadyAddresses"].arrayValue?.compactMap { $0["targetRef"]["name"].stringValue } == ["web-1"])
        #expect(subsets.last?["ports"][0]["port"] == 9090)

        var publishing = Self.service
        publishing["spec"]["publishNotReadyAddresses"] = true
        let all = EndpointsController.endpoints(for: publishing, backends: Self.backends(pods))
        #expect(all.endpointNames("addresses") == ["web-0", "web-1", "web-2", "web-3"])
        #expect(all.endpointNames("notReadyAddresses").isEmpty)

        #expect(EndpointsController.endpoints(for: Self.service, backends: [])["subsets"] == .null)
    }
}

extension JSONValue {
    fileprivate func endpointNames(_ field: String) -> [String] {
        (self["subsets"].arrayValue ?? []).flatMap { $0[field].arrayValue ?? [] }.compactMap { $0["targetRef"]["name"].stringValue }.sorted()
    }
}
