import Foundation
import SkiffAPI
import Testing

/// Label and field selectors and `limit`/`continue` paging.
@Suite(.serialized) struct ListTests {
    @Test func selectorsAndPaging() async throws {
        try await TestServer.with(extraArguments: TestServer.apiOnly) { server in
            let collection = "/api/v1/namespaces/default/configmaps"
            let labels: [(String, [String: String])] = [
                ("a", ["app": "web", "tier": "front"]), ("b", ["app": "web", "tier": "back"]),
                ("c", ["app": "db"]), ("d", ["app": "cache", "tier": "back"]), ("e", [:]),
                ("f", ["app": "web"]), ("g", ["tier": "front"]),
            ]
            for (name, labelMap) in labels {
                var object: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)]]
                if !labelMap.isEmpty { object["metadata"]["labels"] = JSONValue(stringMap: labelMap) }
                #expect(try await server.post(collection, object).status == 201)
            }
            func names(_ query: [(String, String)]) async throws -> [String] {
                let reply = try await server.get(collection, query: query)
                #expect(reply.status == 200, "\(query): \(reply.text)")
                return (reply.body["items"].arrayValue ?? []).compactMap { $0["metadata"]["name"].stringValue }
            }
            #expect(try await names([("labelSelector", "app=web")]) == ["a", "b", "f"])
            #expect(try await names([("labelSelector", "app!=web")]) == ["c", "d", "e", "g"])
            #expect(try await names([("labelSelector", "app in (db,cache)")]) == ["c", "d"])
            #expect(try await names([("labelSelector", "app notin (web,db)")]) == ["d", "e", "g"])
            #expect(try await names([("labelSelector", "tier")]) == ["a", "b", "d", "g"])
            #expect(try await names([("labelSelector", "!tier")]) == ["c", "e", "f"])
            #expect(try await names([("labelSelector", "app=web,tier=front")]) == ["a"])
            #expect(try await names([("fieldSelector", "metadata.name=c")]) == ["c"])
            #expect(try await names([("fieldSelector", "metadata.name!=c"), ("labelSelector", "app")]) == ["a", "b", "d", "f"])

            let unsupported = try await server.get(collection, query: [("fieldSelector", "spec.nodeName=x")])
            #expect(unsupported.status == 400 && unsupported.text.contains("field label not supported: spec.nodeName"))
            let malformed = try await server.get(collection, query: [("labelSelector", "app in (web")])
            #expect(malformed.status == 400, "\(malformed.text)")

            // Paging: three per page, one snapshot, every object once.
            var seen: [String] = []
            var token: String?
            var pages = 0
            repeat {
                var query = [("limit", "3")]
                if let token { query.append(("continue", token)) }
                let page = try await server.get(collection, query: query)
                let items = page.body["items"].arrayValue ?? []
                #expect(items.count <= 3)
                seen += items.compactMap { $0["metadata"]["name"].stringValue }
                token = page.body["metadata"]["continue"].stringValue
                pages += 1
                if pages == 1 {
                    // A write between pages does not show up: the list reads one snapshot.
                    _ = try await server.post(collection, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "zz-late"]])
                }
            } while token != nil && pages < 10
            #expect(seen == ["a", "b", "c", "d", "e", "f", "g"])
            #expect(pages == 3)
            // Paging with a selector still fills pages.
            let filtered = try await server.get(collection, query: [("limit", "2"), ("labelSelector", "tier=back")])
            #expect((filtered.body["items"].arrayValue ?? []).count == 2)

            // Field selectors on pods by node and phase, as the node agent will list its pods.
            let pods = "/api/v1/namespaces/default/pods"
            for (name, node) in [("p1", "node-a"), ("p2", "node-b"), ("p3", "")] {
                var pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)],
                                      "spec": ["containers": [["name": "c", "image": "busybox"]]]]
                if !node.isEmpty { pod["spec"]["nodeName"] = .string(node) }
                #expect(try await server.post(pods, pod).status == 201)
            }
            let onA = try await server.get(pods, query: [("fieldSelector", "spec.nodeName=node-a")])
            #expect((onA.body["items"].arrayValue ?? []).compactMap { $0["metadata"]["name"].stringValue } == ["p1"])
            let pending = try await server.get("/api/v1/pods", query: [("fieldSelector", "status.phase=Pending,spec.nodeName=")])
            #expect((pending.body["items"].arrayValue ?? []).compactMap { $0["metadata"]["name"].stringValue } == ["p3"])
        }
    }

    @Test func tablesForKubectlGet() async throws {
        try await TestServer.with() { server in
            let table = try await server.request(
                "GET", "/api/v1/namespaces", query: [("limit", "500")],
                accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
            #expect(table.body["kind"] == "Table")
            #expect(table.body["columnDefinitions"][0]["name"] == "Name")
            let rows = table.body["rows"].arrayValue ?? []
            #expect(rows.compactMap { $0["cells"][0].stringValue }.sorted() == ["default", "kube-node-lease", "kube-public", "kube-system"])
            #expect(rows.first?["object"]["kind"] == "PartialObjectMetadata")
            #expect(table.body["metadata"]["resourceVersion"].stringValue != nil)
        }
    }
}
