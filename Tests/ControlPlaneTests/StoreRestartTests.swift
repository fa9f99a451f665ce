import ControlPlane
import Foundation
import Testing

@Suite struct StoreRestartTests {
    /// Close and reopen the same file: objects and revisions survive, new
    /// revisions continue above the old ones, and a watch resumed from a
    /// revision seen before the restart gets exactly the later changes.
    @Test func reopenKeepsObjectsRevisionsAndResumesWatches() async throws {
        let directory = try StoreTestDirectory()
        let first = try await SQLiteStorage.open(path: directory.databasePath)
        let a = try await first.create("/r/a", value: Data("a1"))
        let seen = try await first.currentRevision()
        let a2 = try await first.update("/r/a", value: Data("a2"), expectedRevision: a)
        let b = try await first.create("/r/b", value: Data("b1"))
        let before = try await first.list(prefix: "/r/", limit: nil, continueAfter: nil, atRevision: nil)
        try await first.close()

        let second = try await SQLiteStorage.open(path: directory.databasePath)
        let after = try await second.list(prefix: "/r/", limit: nil, continueAfter: nil, atRevision: nil)
        #expect(after == before)
        #expect(try await second.currentRevision() == b)

        let stream = try await second.watch(prefix: "/r/", fromRevision: seen)
        var iterator = stream.makeAsyncIterator()
        let c = try await second.create("/r/c", value: Data("c1"))
        #expect(c == StorageRevision(b.value + 1))
        let events = try await nextEvents(3, from: &iterator)
        #expect(events.map(\.summary) == ["modified /r/a \(a2)", "added /r/b \(b)", "added /r/c \(c)"])
        try await second.close()
    }

    /// A compaction that removed the newest row must not let revisions repeat.
    @Test func revisionsNeverRepeatAfterCompactionAndRestart() async throws {
        let directory = try StoreTestDirectory()
        let first = try await SQLiteStorage.open(path: directory.databasePath)
        let a = try await first.create("/r/a", value: Data("a"))
        let deletion = try await first.delete("/r/a", expectedRevision: a)
        try await first.compact(upTo: deletion.revision)
        try await first.close()

        let second = try await SQLiteStorage.open(path: directory.databasePath)
        #expect(try await second.currentRevision() == deletion.revision)
        #expect(try await second.create("/r/a", value: Data("again")) == StorageRevision(deletion.revision.value + 1))
        try await second.close()
    }
}
