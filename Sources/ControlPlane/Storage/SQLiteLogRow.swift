import Foundation
import GRDB

/// One row of the log table: one committed change.
struct SQLiteLogRow: Sendable {
    var id: StorageRevision
    var name: String
    var created: Bool
    var deleted: Bool
    var createRevision: StorageRevision
    var prevRevision: StorageRevision
    var value: Data
    var oldValue: Data?

    init(
        id: StorageRevision, name: String, created: Bool, deleted: Bool, createRevision: StorageRevision,
        prevRevision: StorageRevision, value: Data, oldValue: Data?
    ) {
        self.id = id
        self.name = name
        self.created = created
        self.deleted = deleted
        self.createRevision = createRevision
        self.prevRevision = prevRevision
        self.value = value
        self.oldValue = oldValue
    }

    init(row: Row) {
        id = StorageRevision(row["id"])
        name = row["name"]
        created = row["created"]
        deleted = row["deleted"]
        createRevision = StorageRevision(row["create_revision"])
        prevRevision = StorageRevision(row["prev_revision"])
        value = row["value"] ?? Data()
        oldValue = row["old_value"]
    }

    var object: StoredObject {
        StoredObject(key: name, value: value, createRevision: createRevision, modRevision: id)
    }

    var event: StorageEvent {
        let kind: StorageEvent.Kind = deleted ? .deleted : (created ? .added : .modified)
        return StorageEvent(
            kind: kind, key: name, revision: id, createRevision: createRevision,
            value: value, previousValue: created ? nil : oldValue)
    }

    /// The key's newest row at or below `revision` (nil: newest of all),
    /// tombstones included: callers decide what a tombstone means.
    static func latest(_ db: Database, key: String, atOrBelow revision: StorageRevision? = nil) throws -> SQLiteLogRow? {
        let sql: String
        var arguments: StatementArguments = [key]
        if let revision {
            sql = "SELECT \(SQLiteSchema.logColumns) FROM \(SQLiteSchema.logTable) WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1"
            arguments += [revision.value]
        } else {
            sql = "SELECT \(SQLiteSchema.logColumns) FROM \(SQLiteSchema.logTable) WHERE name = ? ORDER BY id DESC LIMIT 1"
        }
        // Cached: preparing (and authorizing) the statement on every read was ~5% of a create.
        let statement = try db.cachedStatement(sql: sql)
        return try Row.fetchOne(statement, arguments: arguments).map(SQLiteLogRow.init(row:))
    }

    /// Live keys in `range` as of `revision`, in key order, after `continueAfter`.
    static func liveKeys(
        _ db: Database, in range: KeyRange, after continueAfter: String?, atOrBelow revision: StorageRevision, limit: Int?
    ) throws -> [SQLiteLogRow] {
        var conditions = ["name >= ?", "id <= ?"]
        var arguments: StatementArguments = [range.lower, revision.value]
        if let upper = range.upper {
            conditions.append("name < ?")
            arguments += [upper]
        }
        if let continueAfter {
            conditions.append("name > ?")
            arguments += [continueAfter]
        }
        var sql = """
            SELECT \(SQLiteSchema.logColumns) FROM \(SQLiteSchema.logTable)
            WHERE id IN (SELECT MAX(id) FROM \(SQLiteSchema.logTable) WHERE \(conditions.joined(separator: " AND ")) GROUP BY name)
              AND deleted = 0
            ORDER BY name
            """
        if let limit {
            sql += " LIMIT ?"
            arguments += [limit]
        }
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(SQLiteLogRow.init(row:))
    }

    /// Changes in `range` with revisions in `(after, upTo]`, oldest first.
    static func changes(
        _ db: Database, in range: KeyRange, after: StorageRevision, upTo: StorageRevision, limit: Int
    ) throws -> [SQLiteLogRow] {
        var conditions = ["id > ?", "id <= ?"]
        var arguments: StatementArguments = [after.value, upTo.value]
        if !range.lower.isEmpty {
            conditions.append("name >= ?")
            arguments += [range.lower]
        }
        if let upper = range.upper {
            conditions.append("name < ?")
            arguments += [upper]
        }
        arguments += [limit]
        return try Row.fetchAll(
            db,
            sql: "SELECT \(SQLiteSchema.logColumns) FROM \(SQLiteSchema.logTable) WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT ?",
            arguments: arguments
        ).map(SQLiteLogRow.init(row:))
    }
}
