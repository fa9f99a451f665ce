import Foundation
import GRDB

/// One mutation waiting to be committed. Operations are applied in order inside
/// a shared transaction (group commit), so each one sees the ones before it.
enum StorageWriteOperation: Sendable {
    case create(key: String, value: Data)
    case update(key: String, value: Data, expectedRevision: StorageRevision)
    case delete(key: String, expectedRevision: StorageRevision?)

    /// Applies the operation inside the caller's write transaction. Rule
    /// violations (exists, missing, lost CAS) come back as a failed Result and
    /// write nothing, so they do not abort the other operations of the batch;
    /// only database failures throw.
    func apply(_ db: Database) throws -> Result<SQLiteLogRow, StorageError> {
        switch self {
        case .create(let key, let value):
            let latest = try SQLiteLogRow.latest(db, key: key)
            if let latest, !latest.deleted {
                return .failure(.alreadyExists(key: key))
            }
            return .success(try append(
                db, key: key, created: true, deleted: false, createRevision: StorageRevision(0),
                prevRevision: latest?.id ?? StorageRevision(0), value: value, oldValue: nil))
        case .update(let key, let value, let expectedRevision):
            guard let latest = try SQLiteLogRow.latest(db, key: key), !latest.deleted else {
                return .failure(.notFound(key: key))
            }
            guard latest.id == expectedRevision else {
                return .failure(.conflict(key: key, current: latest.id))
            }
            return .success(try append(
                db, key: key, created: false, deleted: false, createRevision: latest.createRevision,
                prevRevision: latest.id, value: value, oldValue: latest.value))
        case .delete(let key, let expectedRevision):
            guard let latest = try SQLiteLogRow.latest(db, key: key), !latest.deleted else {
                return .failure(.notFound(key: key))
            }
            if let expectedRevision, latest.id != expectedRevision {
                return .failure(.conflict(key: key, current: latest.id))
            }
            return .success(try append(
                db, key: key, created: false, deleted: true, createRevision: latest.createRevision,
                prevRevision: latest.id, value: latest.value, oldValue: latest.value))
        }
    }

    private func append(
        _ db: Database, key: String, created: Bool, deleted: Bool, createRevision: StorageRevision,
        prevRevision: StorageRevision, value: Data, oldValue: Data?
    ) throws -> SQLiteLogRow {
        // Prepared once per connection: this runs for every write.
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO \(SQLiteSchema.logTable)
                    (name, created, deleted, create_revision, prev_revision, value, old_value)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        try insert.execute(
            arguments: [key, created, deleted, createRevision.value, prevRevision.value, value, oldValue])
        let id = StorageRevision(db.lastInsertedRowID)
        return SQLiteLogRow(
            id: id, name: key, created: created, deleted: deleted,
            createRevision: created ? id : createRevision, prevRevision: prevRevision,
            value: value, oldValue: oldValue)
    }
}
