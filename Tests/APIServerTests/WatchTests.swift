import Foundation
import SkiffAPI
import Testing

/// Watch: ordered events after a resourceVersion, snapshots, selectors,
/// timeouts, resuming across a daemon restart, and 410 once compacted.
@Suite(.serialized) struct WatchTests {
    static let collection = "/api/v1/namespaces/default/configmaps"

    static func configMap(_ name: String, labels: [String: String] = [:], value: String = "1") -> JSONValue {
        var object: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)],
                                 "data": ["v": .string(value)]]
        if !labels.isEmpty { object["metadata"]["labels"] = JSONValue(stringMap: labels) }
        return object
    }

    @Test func eventsInOrderWithSelectorsAndTimeout() async throws {
        try await TestServer.with() { server in
            let first = try await server.post(Self.collection, Self.configMap("before", labels: ["app": "x"]))
            let start = first.body.metadata.resourceVersion ?? ""

            let all = try await WatchReader(server.client, Self.collection, query: [("resourceVersion", start)])
            #expect(all.status == 200)
            let selected = try await WatchReader(
                server.client, Self.collection, query: [("resourceVersion", start), ("labelSelector", "app=x")])
            let snapshot = try await WatchReader(server.client, Self.collection, query: [("resourceVersion", "0")])

            _ = try await server.post(Self.collection, Self.configMap("one", labels: ["app": "x"]))
            _ = try await server.request(
                "PATCH", "\(Self.collection)/one", json: ["data": ["v": "2"]], contentType: "application/merge-patch+json")
            _ = try await server.request(
                "PATCH", "\(Self.collection)/one", json: ["metadata": ["labels": ["app": "y"]]],
                contentType: "application/merge-patch+json")
            _ = try await server.request("DELETE", "\(Self.collection)/one")

            var types: [String] = []
            var versions: [Int64] = []
            for _ in 0..<4 {
                guard let event = try await all.next() else { break }
                types.append(event.type)
                versions.append(Int64(event.object.metadata.resourceVersion ?? "") ?? 0)
                #expect(event.object["kind"] == "ConfigMap")
            }
            #expect(types == ["ADDED", "MODIFIED", "MODIFIED", "DELETED"])
            #expect(versions == versions.sorted() && Set(versions).count == 4)

            // Through a selector, leaving the selection reads as DELETED.
            var selectedTypes: [String] = []
            for _ in 0..<3 { if let event = try await selected.next() { selectedTypes.append(event.type) } }
            #expect(selectedTypes == ["ADDED", "MODIFIED", "DELETED"])
            #expect(try await selected.next(timeout: .milliseconds(300)) == nil, "the final delete is outside the selector")

            // resourceVersion=0 starts with the current objects as ADDED.
            let initial = try await snapshot.next()
            #expect(initial?.type == "ADDED")
            #expect(initial?.object.metadata.name == "before")

            // timeoutSeconds ends the stream.
            let short = try await WatchReader(server.client, Self.collection, query: [("resourceVersion", start), ("timeoutSeconds", "1")])
            var drained = 0
            while try await short.next(timeout: .seconds(5)) != nil { drained += 1 }
            #expect(short.ended)
            #expect(drained == 4)
        }
    }

    @Test func resumesAcrossARestartAndExpiresWhenCompacted() async throws {
        try await TestServer.with(extraArguments: ["--compaction-interval", "1", "--compaction-keep", "5"]) { server in
            let created = try await server.post(Self.collection, Self.configMap("durable"))
            let version = created.body.metadata.resourceVersion ?? ""
            _ = try await server.request(
                "PATCH", "\(Self.collection)/durable", json: ["data": ["v": "2"]], contentType: "application/merge-patch+json")
            // An open watch does not hold up shutdown: SIGTERM ends it within 5 s.
            let open = try await WatchReader(server.client, Self.collection, query: [("resourceVersion", version)])
            #expect(try await open.next()?.type == "MODIFIED")
            #expect(await server.stop())
            try await server.restart()
            let after = try await server.get("\(Self.collection)/durable")
            #expect(after.body["data"]["v"] == "2")

            let resumed = try await WatchReader(server.client, Self.collection, query: [("resourceVersion", version)])
            let event = try await resumed.next()
            #expect(event?.type == "MODIFIED")
            #expect(event?.object["data"]["v"] == "2")
            resumed.cancel()

            // Enough writes that revision `version` falls out of the kept history.
            for index in 0..<20 {
                _ = try await server.request(
                    "PATCH", "\(Self.collection)/durable", json: ["data": ["v": .string("\(index + 3)")]],
                    contentType: "application/merge-patch+json")
            }
            try await Task.sleep(for: .seconds(2.5))
            let expired = try await WatchReader(server.client, Self.collection, query: [("resourceVersion", version)])
            let error = try await expired.next()
            #expect(error?.type == "ERROR")
            #expect(error?.object["code"] == 410)
            #expect(error?.object["reason"] == "Expired")
        }
    }
}
