import ControlPlane
import Foundation
import Testing

/// A fresh directory for one test's database, removed afterwards.
struct StoreTestDirectory: ~Copyable {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path + "/skiff-store-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    var databasePath: String { SQLiteStorage.databasePath(inDataDirectory: path) }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Opens a store in a fresh directory, runs `body`, closes it and removes the directory.
func withTemporaryStore<T>(
    options: SQLiteStorage.Options = SQLiteStorage.Options(),
    _ body: (SQLiteStorage, String) async throws -> T
) async throws -> T {
    let directory = try StoreTestDirectory()
    let storage = try await SQLiteStorage.open(path: directory.databasePath, options: options)
    do {
        let result = try await body(storage, directory.databasePath)
        try await storage.close()
        return result
    } catch {
        try? await storage.close()
        throw error
    }
}

extension Data {
    init(_ string: String) { self = Data(string.utf8) }
}

extension StorageEvent {
    /// Compact form for assertions: "added /a 3".
    var summary: String { "\(kind.rawValue) \(key) \(revision)" }
}

/// Reads the next `count` events, failing the test if the stream ends first
/// or if they take longer than `seconds`.
func nextEvents(
    _ count: Int, from iterator: inout AsyncThrowingStream<StorageEvent, Error>.Iterator, seconds: Double = 10
) async throws -> [StorageEvent] {
    var events: [StorageEvent] = []
    let deadline = ContinuousClock.now + .seconds(seconds)
    while events.count < count {
        #expect(ContinuousClock.now < deadline, "timed out waiting for events")
        guard let event = try await iterator.next() else { break }
        events.append(event)
    }
    return events
}
