import Dispatch
import Foundation
import GRDB

/// The default `StorageBackend`: one SQLite file in WAL mode with
/// `synchronous = FULL`, so a write is on disk before its call returns and
/// neither `kill -9` nor power loss drops an acknowledged write. Reads run on
/// GRDB's reader queues and writes on one writer queue (group commit, see
/// `WriteBatcher`); the cooperative pool never blocks on SQLite.
public final class SQLiteStorage: StorageBackend {
    /// Tunables; the defaults suit a single-node control plane.
    public struct Options: Sendable {
        /// Most writes committed in one transaction.
        public var maxBatch: Int = 512
        /// Live events a watcher may have unread before it is ended with
        /// `watcherTooSlow`.
        public var watchBufferLimit: Int = 10_000
        /// Log rows read per replay page of a watch.
        public var watchReplayPageSize: Int = 500

        public init() {}
    }

    /// Where the database lives under a data dir, as k3s keeps
    /// `server/db/state.db` under its own.
    public static func databasePath(inDataDirectory dataDirectory: String) -> String {
        dataDirectory + "/server/db/state.db"
    }

    private let pool: DatabasePool
    private let hub: WatchHub
    private let batcher: WriteBatcher
    private let options: Options

    private init(pool: DatabasePool, currentRevision: StorageRevision, options: Options) {
        self.pool = pool
        self.options = options
        hub = WatchHub(lastPublished: currentRevision)
        batcher = WriteBatcher(writer: pool, hub: hub, maxBatch: options.maxBatch)
    }

    /// Opens (creating when missing, with its parent directories) the database
    /// at `path` on a dedicated queue.
    public static func open(path: String, options: Options = Options()) async throws(StorageError) -> SQLiteStorage {
        let result = await withCheckedContinuation { (done: CheckedContinuation<Result<SQLiteStorage, StorageError>, Never>) in
            DispatchQueue(label: "skiff.store.open").async {
                done.resume(returning: Result { () throws(StorageError) in try openBlocking(path: path, options: options) })
            }
        }
        return try result.get()
    }

    private static func openBlocking(path: String, options: Options) throws(StorageError) -> SQLiteStorage {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(step: .open, message: "\(directory): \(error)")
        }
        var configuration = Configuration()
        configuration.label = "skiff.store"
        configuration.busyMode = .timeout(10)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .io(step: .open, message: "\(path): \(error)")
        }
        do {
            // WAL (set by DatabasePool) + FULL: every commit fsyncs the WAL
            // before it returns. Set on the writer after the pool opened it,
            // because GRDB's WAL setup lowers it to NORMAL, which can lose the
            // last commits on power loss.
            let synchronous = try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                return try Int.fetchOne(db, sql: "PRAGMA synchronous")
            }
            guard synchronous == 2 else {
                throw StorageError.io(step: .open, message: "\(path): PRAGMA synchronous is \(synchronous.map(String.init) ?? "unset"), expected FULL (2)")
            }
            try SQLiteSchema.migrator().migrate(pool)
            let current = try pool.read { db in try SQLiteSchema.currentRevision(db) }
            return SQLiteStorage(pool: pool, currentRevision: current, options: options)
        } catch let error as StorageError {
            try? pool.close()
            throw error
        } catch {
            try? pool.close()
            throw .io(step: .migrate, message: "\(path): \(error)")
        }
    }

    /// Ends every watch with `closed`, lets queued writes commit, and closes
    /// the file. The instance refuses everything afterwards.
    public func close() async throws(StorageError) {
        hub.close()
        await batcher.close()
        let pool = self.pool
        let result = await withCheckedContinuation { (done: CheckedContinuation<Result<Void, StorageError>, Never>) in
            DispatchQueue(label: "skiff.store.close").async {
                done.resume(returning: Result { () throws(StorageError) in
                    do { try pool.close() } catch { throw .io(step: .close, message: String(describing: error)) }
                })
            }
        }
        try result.get()
    }

    public func get(_ key: String) async throws(StorageError) -> StoredObject? {
        try await read(.get) { db in
            guard let row = try SQLiteLogRow.latest(db, key: key), !row.deleted else { return nil }
            return row.object
        }
    }

    public func list(
        prefix: String, limit: Int?, continueAfter: String?, atRevision: StorageRevision?
    ) async throws(StorageError) -> StorageListResult {
        let range = KeyRange(prefix: prefix)
        let fetchLimit = limit.map { max($0, 0) + 1 }
        return try await read(.list) { db in
            let current = try SQLiteSchema.currentRevision(db)
            let revision = atRevision ?? current
            if revision > current {
                throw StorageError.futureRevision(requested: revision, current: current)
            }
            let compacted = try SQLiteSchema.compactRevision(db)
            if revision < compacted {
                throw StorageError.compacted(oldestAvailable: compacted)
            }
            var rows = try SQLiteLogRow.liveKeys(
                db, in: range, after: continueAfter, atOrBelow: revision, limit: fetchLimit)
            var hasMore = false
            if let limit, rows.count > limit {
                rows.removeLast(rows.count - limit)
                hasMore = true
            }
            return StorageListResult(items: rows.map(\.object), revision: revision, hasMore: hasMore)
        }
    }

    public func create(_ key: String, value: Data) async throws(StorageError) -> StorageRevision {
        try await batcher.submit(.create(key: key, value: value)).id
    }

    public func update(
        _ key: String, value: Data, expectedRevision: StorageRevision
    ) async throws(StorageError) -> StorageRevision {
        try await batcher.submit(.update(key: key, value: value, expectedRevision: expectedRevision)).id
    }

    public func delete(
        _ key: String, expectedRevision: StorageRevision?
    ) async throws(StorageError) -> StorageDeletion {
        let row = try await batcher.submit(.delete(key: key, expectedRevision: expectedRevision))
        return StorageDeletion(
            revision: row.id,
            deleted: StoredObject(key: key, value: row.value, createRevision: row.createRevision, modRevision: row.prevRevision))
    }

    public func watch(
        prefix: String, fromRevision: StorageRevision
    ) async throws(StorageError) -> AsyncThrowingStream<StorageEvent, Error> {
        let compacted: StorageRevision
        do {
            compacted = try await read(.watchReplay) { db in try SQLiteSchema.compactRevision(db) }
        } catch {
            // Cancelled before the watch began: an empty, finished stream, as a
            // cancel during the watch ends it.
            if Task.isCancelled { return AsyncThrowingStream { $0.finish() } }
            throw error
        }
        if fromRevision < compacted {
            throw .compacted(oldestAvailable: compacted)
        }
        let watcher = StorageWatcher(
            prefix: prefix, fromRevision: fromRevision, reader: pool, hub: hub,
            bufferLimit: options.watchBufferLimit, pageSize: options.watchReplayPageSize)
        try hub.register(watcher)
        return AsyncThrowingStream(unfolding: { try await watcher.next() })
    }

    public func compact(upTo revision: StorageRevision) async throws(StorageError) {
        do {
            try await pool.write { db in
                let current = try SQLiteSchema.currentRevision(db)
                if revision > current {
                    throw StorageError.futureRevision(requested: revision, current: current)
                }
                guard revision > (try SQLiteSchema.compactRevision(db)) else { return }
                // Drop every row at or below `revision` that a newer row at or
                // below it supersedes, and tombstones there: what remains
                // answers every read at `revision` or later.
                try db.execute(
                    sql: """
                        DELETE FROM \(SQLiteSchema.logTable) AS old
                        WHERE old.id <= :revision
                          AND (old.deleted = 1 OR EXISTS (
                              SELECT 1 FROM \(SQLiteSchema.logTable) AS newer
                              WHERE newer.name = old.name AND newer.id > old.id AND newer.id <= :revision))
                        """,
                    arguments: ["revision": revision.value])
                try db.execute(
                    sql: "INSERT INTO \(SQLiteSchema.metaTable) (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    arguments: [SQLiteSchema.compactRevisionKey, revision.value])
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw .io(step: .compact, message: String(describing: error))
        }
    }

    public func currentRevision() async throws(StorageError) -> StorageRevision {
        try await read(.currentRevision) { db in try SQLiteSchema.currentRevision(db) }
    }

    /// The revision history was compacted up to; older reads and watches fail.
    public func compactedRevision() async throws(StorageError) -> StorageRevision {
        try await read(.currentRevision) { db in try SQLiteSchema.compactRevision(db) }
    }

    /// A snapshot read on GRDB's reader queues, with errors typed.
    private func read<T: Sendable>(
        _ step: StorageError.Step, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(StorageError) -> T {
        do {
            return try await pool.read(body)
        } catch let error as StorageError {
            throw error
        } catch {
            throw .io(step: step, message: String(describing: error))
        }
    }
}
