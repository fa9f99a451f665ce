import Foundation

/// A `StorageBackend` that times every call into `/metrics`, so store latency
/// is visible apart from request latency; otherwise it only forwards.
struct MeasuredStorage: StorageBackend {
    let inner: any StorageBackend
    let metrics: APIMetrics

    private func timed<T>(_ operation: String, _ body: () async throws(StorageError) -> T) async throws(StorageError) -> T {
        let start = ContinuousClock.now
        defer { metrics.recordStorage(operation: operation, duration: ContinuousClock.now - start) }
        return try await body()
    }

    func get(_ key: String) async throws(StorageError) -> StoredObject? {
        try await timed("get") { () async throws(StorageError) in try await inner.get(key) }
    }

    func list(prefix: String, limit: Int?, continueAfter: String?, atRevision: StorageRevision?)
        async throws(StorageError) -> StorageListResult
    {
        try await timed("list") { () async throws(StorageError) in
            try await inner.list(prefix: prefix, limit: limit, continueAfter: continueAfter, atRevision: atRevision)
        }
    }

    func create(_ key: String, value: Data) async throws(StorageError) -> StorageRevision {
        try await timed("create") { () async throws(StorageError) in try await inner.create(key, value: value) }
    }

    func update(_ key: String, value: Data, expectedRevision: StorageRevision) async throws(StorageError)
        -> StorageRevision
    {
        try await timed("update") { () async throws(StorageError) in
            try await inner.update(key, value: value, expectedRevision: expectedRevision)
        }
    }

    func delete(_ key: String, expectedRevision: StorageRevision?) async throws(StorageError) -> StorageDeletion {
        try await timed("delete") { () async throws(StorageError) in
            try await inner.delete(key, expectedRevision: expectedRevision)
        }
    }

    func watch(prefix: String, fromRevision: StorageRevision) async throws(StorageError)
        -> AsyncThrowingStream<StorageEvent, Error>
    {
        try await inner.watch(prefix: prefix, fromRevision: fromRevision)
    }

    func compact(upTo revision: StorageRevision) async throws(StorageError) {
        try await timed("compact") { () async throws(StorageError) in try await inner.compact(upTo: revision) }
    }

    func currentRevision() async throws(StorageError) -> StorageRevision {
        try await inner.currentRevision()
    }
}
