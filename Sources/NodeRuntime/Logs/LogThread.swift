import Glibc

/// Starts detached pthreads for blocking log I/O.
///
/// The pump hub and each `follow` block in `poll(2)` and `read(2)`; doing that on
/// Swift's cooperative pool would starve unrelated tasks, so every such loop gets
/// its own kernel thread. (Glibc's module lacks `pthread_setname_np`, so the
/// threads are unnamed.)
package enum LogThread {
    private final class Body: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Runs `body` on a new detached thread.
    package static func detach(_ what: String, _ body: @escaping @Sendable () -> Void) throws {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, &attributes,
            { raw in
                guard let raw else { return nil }
                Unmanaged<Body>.fromOpaque(raw).takeRetainedValue().run()
                return nil
            }, context)
        if result != 0 {
            Unmanaged<Body>.fromOpaque(context).release()
            throw SystemError("pthread_create (\(what))", errno: result)
        }
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
