import ControlPlane
import Foundation
import Testing

@Suite struct StoreConcurrencyTests {
    /// 20 tasks each add 10 increments to one counter with get + CAS update,
    /// retrying on conflict: the final count proves no update was lost.
    @Test func compareAndSwapLosesNoUpdate() async throws {
        try await withTemporaryStore { store, _ in
            _ = try await store.create("/counter", value: Data("0"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        for _ in 0..<10 {
                            while true {
                                let current = try #require(try await store.get("/counter"))
                                let count = Int(String(decoding: current.value, as: UTF8.self)) ?? -1
                                do {
                                    _ = try await store.update(
                                        "/counter", value: Data("\(count + 1)"), expectedRevision: current.modRevision)
                                    break
                                } catch StorageError.conflict {
                                    continue
                                }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let final = try #require(try await store.get("/counter"))
            #expect(String(decoding: final.value, as: UTF8.self) == "200")
        }
    }

    /// Concurrent creates share commits but each gets its own revision.
    @Test func concurrentCreatesGetDistinctRevisions() async throws {
        try await withTemporaryStore { store, _ in
            let revisions = try await withThrowingTaskGroup(of: StorageRevision.self) { group in
                for index in 0..<200 {
                    group.addTask { try await store.create("/c/\(index)", value: Data("\(index)")) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(revisions).count == 200)
            #expect(revisions.max() == StorageRevision(200))
            let listed = try await store.list(prefix: "/c/", limit: nil, continueAfter: nil, atRevision: nil)
            #expect(listed.items.count == 200)
        }
    }
}
