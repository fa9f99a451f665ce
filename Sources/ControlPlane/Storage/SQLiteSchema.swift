import GRDB

/// The on-disk layout, after kine's single `kine` table: the table *is* the
/// log. Each write appends one row whose AUTOINCREMENT id is the revision, so
/// "current value of a key" is its highest row, "value at revision R" is its
/// highest row with id <= R, and a watch replays rows with id > R. AUTOINCREMENT
/// (not plain rowid) keeps revisions from being reused after compaction
/// removes the newest row.
enum SQLiteSchema {
    static let logTable = "kv"
    static let metaTable = "kv_meta"
    static let compactRevisionKey = "compact_revision"

    /// Columns every log query selects, with `create_revision` resolved: a
    /// creating row stores 0 there and its own id is its create revision.
    static let logColumns = """
        id, name, created, deleted,
        CASE WHEN created THEN id ELSE create_revision END AS create_revision,
        prev_revision, value, old_value
        """

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-kv-log") { db in
            try db.execute(sql: """
                CREATE TABLE \(logTable) (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    created INTEGER NOT NULL,
                    deleted INTEGER NOT NULL,
                    create_revision INTEGER NOT NULL,
                    prev_revision INTEGER NOT NULL,
                    value BLOB,
                    old_value BLOB
                );
                CREATE INDEX \(logTable)_name_id ON \(logTable) (name, id);
                CREATE TABLE \(metaTable) (
                    key TEXT PRIMARY KEY NOT NULL,
                    value INTEGER NOT NULL
                );
                """)
        }
        return migrator
    }

    /// The revision of the newest row ever written (0 when none was).
    static func currentRevision(_ db: Database) throws -> StorageRevision {
        let seq = try Int64.fetchOne(
            db, sql: "SELECT seq FROM sqlite_sequence WHERE name = ?", arguments: [logTable])
        return StorageRevision(seq ?? 0)
    }

    /// The revision history was last compacted up to (0 when never).
    static func compactRevision(_ db: Database) throws -> StorageRevision {
        let value = try Int64.fetchOne(
            db, sql: "SELECT value FROM \(metaTable) WHERE key = ?", arguments: [compactRevisionKey])
        return StorageRevision(value ?? 0)
    }
}
