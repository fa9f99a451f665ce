import ControlPlane
import Foundation
import Testing

@Suite struct StoreWatchTests {
    @Test func replaysHistoryThenStreamsLive() async throws {
        try await withTemporaryStore { store, _ in
            let a = try await store.create("/w/a", value: Data("a1"))
            let start = try await store.currentRevision()
            let a2 = try await store.update("/w/a", value: Data("a2"), expectedRevision: a)
            _ = try await store.create("/other/x", value: Data("x"))
            let b = try await store.create("/w/b", value: Data("b1"))

            let stream = try await store.watch(prefix: "/w/", fromRevision: start)
            var iterator = stream.makeAsyncIterator()
            let replayed = try await nextEvents(2, from: &iterator)
            #expect(replayed.map(\.summary) == ["modified /w/a \(a2)", "added /w/b \(b)"])
            #expect(replayed.first?.previousValue == Data("a1"))
            #expect(replayed.first?.value == Data("a2"))
            #expect(replayed.last?.previousValue == nil)

            let deletion = try await store.delete("/w/a", expectedRevision: a2)
            _ = try await store.create("/other/y", value: Data("y"))
            let c = try await store.create("/w/c", value: Data("c1"))
            let live = try await nextEvents(2, from: &iterator)
            #expect(live.map(\.summary) == ["deleted /w/a \(deletion.revision)", "added /w/c \(c)"])
            #expect(live.first?.value == Data("a2"))
            #expect(live.first?.previousValue == Data("a2"))
        }
    }

    /// Writers race with watch start: every watcher, started at arbitrary
    /// points, must see exactly the revisions after its start, in order.
    @Test func noGapOrDuplicateAcrossReplayAndLive() async throws {
        var options = SQLiteStorage.Options()
        options.watchReplayPageSize = 7
        try await withTemporaryStore(options: options) { store, _ in
            let total = 400
            let writer = Task {
                for index in 0..<total {
                    _ = try await store.create("/race/\(index)", value: Data("\(index)"))
                }
            }
            var watches: [(StorageRevision, AsyncThrowingStream<StorageEvent, Error>)] = []
            for _ in 0..<8 {
                let start = try await store.currentRevision()
                watches.append((start, try await store.watch(prefix: "/race/", fromRevision: start)))
                try await Task.sleep(for: .milliseconds(5))
            }
            try await writer.value
            for (start, stream) in watches {
                var iterator = stream.makeAsyncIterator()
                let expected = Int(Int64(total) - start.value)
                let events = try await nextEvents(expected, from: &iterator)
                #expect(events.map(\.revision.value) == Array((start.value + 1)...Int64(total)))
            }
        }
    }

    @Test func watchFromCompactedRevisionFails() async throws {
        try await withTemporaryStore { store, _ in
            var revision = try await store.create("/w/a", value: Data("0"))
            for index in 1...3 {
                revision = try await store.update("/w/a", value: Data("\(index)"), expectedRevision: revision)
            }
            try await store.compact(upTo: revision)
            await #expect(throws: StorageError.compacted(oldestAvailable: revision)) {
                _ = try await store.watch(prefix: "/w/", fromRevision: StorageRevision(1))
            }
            // Watching from exactly the compacted revision is fine.
            let stream = try await store.watch(prefix: "/w/", fromRevision: revision)
            var iterator = stream.makeAsyncIterator()
            let next = try await store.update("/w/a", value: Data("4"), expectedRevision: revision)
            #expect(try await nextEvents(1, from: &iterator).map(\.revision) == [next])
        }
    }

    @Test func slowWatcherGetsAnErrorInsteadOfUnboundedMemory() async throws {
        var options = SQLiteStorage.Options()
        options.watchBufferLimit = 5
        try await withTemporaryStore(options: options) { store, _ in
            let start = try await store.currentRevision()
            let stream = try await store.watch(prefix: "/w/", fromRevision: start)
            let (burstDone, signalBurstDone) = AsyncStream<Void>.makeStream()
            let consumer = Task { () -> ([StorageRevision], StorageError?) in
                var iterator = stream.makeAsyncIterator()
                var delivered: [StorageRevision] = []
                do {
                    // The first read finds no history, so the watch goes live.
                    guard let first = try await iterator.next() else { return (delivered, nil) }
                    delivered.append(first.revision)
                    // Then the consumer stalls while a burst is published.
                    for await _ in burstDone { break }
                    while let event = try await iterator.next() { delivered.append(event.revision) }
                    return (delivered, nil)
                } catch let error as StorageError {
                    return (delivered, error)
                } catch {
                    Issue.record("unexpected \(error)")
                    return (delivered, nil)
                }
            }
            try await Task.sleep(for: .milliseconds(100))
            let first = try await store.create("/w/first", value: Data("f"))
            for index in 0..<20 {
                _ = try await store.create("/w/\(index)", value: Data("x"))
            }
            signalBurstDone.yield()
            let (delivered, error) = await consumer.value
            #expect(delivered == (0...5).map { StorageRevision(first.value + Int64($0)) })
            #expect(error == .watcherTooSlow(lastDelivered: StorageRevision(first.value + 5)))
        }
    }

    @Test func closeEndsWatchesAndCancelEndsTheStream() async throws {
        let directory = try StoreTestDirectory()
        let store = try await SQLiteStorage.open(path: directory.databasePath)
        let cancelled = Task {
            let stream = try await store.watch(prefix: "/", fromRevision: StorageRevision(0))
            var count = 0
            for try await _ in stream { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(50))
        cancelled.cancel()
        #expect(try await cancelled.value == 0)

        let stream = try await store.watch(prefix: "/", fromRevision: StorageRevision(0))
        var iterator = stream.makeAsyncIterator()
        try await store.close()
        await #expect(throws: StorageError.closed) {
            _ = try await iterator.next()
        }
        await #expect(throws: StorageError.closed) {
            _ = try await store.create("/after-close", value: Data("x"))
        }
    }
}
