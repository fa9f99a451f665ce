/// Starts detached pthreads for blocking log I/O.
///
/// The pump hub and each `follow` block in `poll(2)` and `read(2)`; doing that on
/// Swift's cooperative pool would starve unrelated tasks, so every such loop gets
/// its own kernel thread.
package enum LogThread {
    /// Runs `body` on a new detached, named thread.
    package static func detach(_ what: String, _ body: @escaping @Sendable () -> Void) throws {
        try Thread(name: "skiff \(what)", body: body).start()
    }

    /// Runs blocking `work` on a fresh thread and returns its result to the caller's task.
    package static func run<Value: Sendable>(
        _ what: String, _ work: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            do {
                try detach(what) { continuation.resume(with: Result { try work() }) }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}
