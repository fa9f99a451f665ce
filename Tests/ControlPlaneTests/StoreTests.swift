import ControlPlane
import Foundation
import Testing

@Suite struct StoreTests {
    @Test func createGetUpdateDelete() async throws {
        try await withTemporaryStore { store, _ in
            #expect(try await store.currentRevision() == StorageRevision(0))
            #expect(try await store.get("/registry/pods/default/web") == nil)

            let created = try await store.create("/registry/pods/default/web", value: Data("v1"))
            #expect(created == StorageRevision(1))
            let object = try #require(try await store.get("/registry/pods/default/web"))
            #expect(object == StoredObject(key: "/registry/pods/default/web", value: Data("v1"), createRevision: created, modRevision: created))

            let updated = try await store.update("/registry/pods/default/web", value: Data("v2"), expectedRevision: created)
            #expect(updated == StorageRevision(2))
            let afterUpdate = try #require(try await store.get("/registry/pods/default/web"))
            #expect(afterUpdate.value == Data("v2"))
            #expect(afterUpdate.createRevision == created)
            #expect(afterUpdate.modRevision == updated)

            let deletion = try await store.delete("/registry/pods/default/web", expectedRevision: nil)
            #expect(deletion.revision == StorageRevision(3))
            #expect(deletion.deleted == afterUpdate)
            #expect(try await store.get("/registry/pods/default/web") == nil)
            #expect(try await store.currentRevision() == StorageRevision(3))

            // Re-creating after a delete starts a new lifetime.
            let recreated = try await store.create("/registry/pods/default/web", value: Data("v3"))
            #expect(try await store.get("/registry/pods/default/web")?.createRevision == recreated)
        }
    }

    @Test func typedErrors() async throws {
        try await withTemporaryStore { store, _ in
            let revision = try await store.create("/a", value: Data("x"))
            await #expect(throws: StorageError.alreadyExists(key: "/a")) {
                try await store.create("/a", value: Data("y"))
            }
            await #expect(throws: StorageError.notFound(key: "/missing")) {
                try await store.update("/missing", value: Data("y"), expectedRevision: revision)
            }
            await #expect(throws: StorageError.notFound(key: "/missing")) {
                try await store.delete("/missing", expectedRevision: nil)
            }
            // Failed writes consume no revision.
            #expect(try await store.currentRevision() == revision)
        }
    }

    @Test func compareAndSwapConflict() async throws {
        try await withTemporaryStore { store, _ in
            let first = try await store.create("/a", value: Data("1"))
            let second = try await store.update("/a", value: Data("2"), expectedRevision: first)
            await #expect(throws: StorageError.conflict(key: "/a", current: second)) {
                try await store.update("/a", value: Data("stale"), expectedRevision: first)
            }
            await #expect(throws: StorageError.conflict(key: "/a", current: second)) {
                try await store.delete("/a", expectedRevision: first)
            }
            #expect(try await store.get("/a")?.value == Data("2"))
            let deletion = try await store.delete("/a", expectedRevision: second)
            #expect(deletion.deleted.modRevision == second)
        }
    }

    @Test func listByPrefixWithPagination() async throws {
        try await withTemporaryStore { store, _ in
            for name in ["c", "a", "e", "b", "d"] {
                _ = try await store.create("/registry/pods/default/\(name)", value: Data(name))
            }
            _ = try await store.create("/registry/pods/other/z", value: Data("z"))
            _ = try await store.create("/registry/pods/default", value: Data("not under the prefix with slash"))
            _ = try await store.create("/registry/podsx/default/q", value: Data("q"))
            let gone = try await store.create("/registry/pods/default/gone", value: Data("g"))
            _ = try await store.delete("/registry/pods/default/gone", expectedRevision: gone)

            let all = try await store.list(prefix: "/registry/pods/default/", limit: nil, continueAfter: nil, atRevision: nil)
            #expect(all.items.map(\.key) == ["a", "b", "c", "d", "e"].map { "/registry/pods/default/\($0)" })
            #expect(all.revision == (try await store.currentRevision()))
            #expect(!all.hasMore)

            let first = try await store.list(prefix: "/registry/pods/default/", limit: 2, continueAfter: nil, atRevision: nil)
            #expect(first.items.map(\.key) == ["/registry/pods/default/a", "/registry/pods/default/b"])
            #expect(first.hasMore)
            // A write between pages does not show up in later pages of the same snapshot.
            _ = try await store.create("/registry/pods/default/bb", value: Data("late"))
            let second = try await store.list(
                prefix: "/registry/pods/default/", limit: 2, continueAfter: first.items.last?.key, atRevision: first.revision)
            #expect(second.items.map(\.key) == ["/registry/pods/default/c", "/registry/pods/default/d"])
            #expect(second.hasMore)
            let third = try await store.list(
                prefix: "/registry/pods/default/", limit: 2, continueAfter: second.items.last?.key, atRevision: first.revision)
            #expect(third.items.map(\.key) == ["/registry/pods/default/e"])
            #expect(!third.hasMore)

            let everything = try await store.list(prefix: "", limit: nil, continueAfter: nil, atRevision: nil)
            #expect(everything.items.count == 9)
        }
    }

    @Test func listAtAnOlderRevision() async throws {
        try await withTemporaryStore { store, _ in
            let a1 = try await store.create("/k/a", value: Data("a1"))
            let b1 = try await store.create("/k/b", value: Data("b1"))
            let snapshot = try await store.currentRevision()
            _ = try await store.update("/k/a", value: Data("a2"), expectedRevision: a1)
            _ = try await store.delete("/k/b", expectedRevision: b1)
            _ = try await store.create("/k/c", value: Data("c1"))

            let old = try await store.list(prefix: "/k/", limit: nil, continueAfter: nil, atRevision: snapshot)
            #expect(old.revision == snapshot)
            #expect(old.items.map(\.key) == ["/k/a", "/k/b"])
            #expect(old.items.map(\.value) == [Data("a1"), Data("b1")])

            let now = try await store.list(prefix: "/k/", limit: nil, continueAfter: nil, atRevision: nil)
            #expect(now.items.map(\.key) == ["/k/a", "/k/c"])
            #expect(now.items.first?.value == Data("a2"))

            let current = try await store.currentRevision()
            await #expect(throws: StorageError.futureRevision(requested: StorageRevision(current.value + 5), current: current)) {
                try await store.list(prefix: "/k/", limit: nil, continueAfter: nil, atRevision: StorageRevision(current.value + 5))
            }
        }
    }

    @Test func compactionKeepsCurrentStateAndRejectsOlderReads() async throws {
        try await withTemporaryStore { store, _ in
            var revision = try await store.create("/k/a", value: Data("0"))
            for index in 1...5 {
                revision = try await store.update("/k/a", value: Data("\(index)"), expectedRevision: revision)
            }
            let b = try await store.create("/k/b", value: Data("b"))
            _ = try await store.delete("/k/b", expectedRevision: b)
            let kept = try await store.create("/k/c", value: Data("c"))
            try await store.compact(upTo: kept)
            #expect(try await store.compactedRevision() == kept)

            let now = try await store.list(prefix: "/k/", limit: nil, continueAfter: nil, atRevision: kept)
            #expect(now.items.map(\.key) == ["/k/a", "/k/c"])
            #expect(now.items.first?.modRevision == revision)
            await #expect(throws: StorageError.compacted(oldestAvailable: kept)) {
                try await store.list(prefix: "/k/", limit: nil, continueAfter: nil, atRevision: StorageRevision(kept.value - 1))
            }
            // Revisions keep counting past compacted rows.
            let next = try await store.update("/k/c", value: Data("c2"), expectedRevision: kept)
            #expect(next == StorageRevision(kept.value + 1))
        }
    }

    @Test func prefixUpperBoundCoversNonASCIIKeys() async throws {
        try await withTemporaryStore { store, _ in
            _ = try await store.create("/k/é", value: Data("1"))
            _ = try await store.create("/k/\u{10FFFF}", value: Data("2"))
            _ = try await store.create("/l", value: Data("3"))
            let listed = try await store.list(prefix: "/k/", limit: nil, continueAfter: nil, atRevision: nil)
            #expect(listed.items.count == 2)
        }
    }
}
