import Foundation
import SkiffAPI
import Testing

/// kill -9 during a burst of writes loses none that were acknowledged, and a
/// restart serves the same objects at the same resourceVersions.
@Suite(.serialized) struct DurabilityTests {
    @Test func acknowledgedWritesSurviveSIGKILL() async throws {
        try await TestServer.with() { server in
            let collection = "/api/v1/namespaces/default/configmaps"
            let acknowledged = AcknowledgedWrites()
            let writers = (0..<8).map { writer in
                Task {
                    for index in 0..<10_000 {
                        let name = "w\(writer)-\(index)"
                        guard let reply = try? await server.post(
                            collection, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)]])
                        else { return }
                        guard reply.status == 201, let version = reply.body.metadata.resourceVersion else { return }
                        await acknowledged.add(name, version)
                    }
                }
            }
            // Kill in the middle of the burst: once enough writes are acknowledged
            // (however loaded the machine is), with the writers still going.
            let deadline = ContinuousClock.now + .seconds(60)
            while await acknowledged.count < 300, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            await server.crash()
            for writer in writers { await writer.value }
            let written = await acknowledged.all
            #expect(written.count > 50, "too few writes before the kill to mean anything: \(written.count)")

            try await server.restart()
            let list = try await server.get(collection)
            var stored: [String: String] = [:]
            for item in list.body["items"].arrayValue ?? [] {
                if let name = item.metadata.name { stored[name] = item.metadata.resourceVersion }
            }
            for (name, version) in written {
                #expect(stored[name] == version, "acknowledged \(name)@\(version) lost or changed")
            }
        }
    }
}

actor AcknowledgedWrites {
    private(set) var all: [String: String] = [:]
    func add(_ name: String, _ version: String) { all[name] = version }
    var count: Int { all.count }
}
