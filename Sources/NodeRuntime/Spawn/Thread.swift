import CShims
import Glibc

/// A detached pthread for blocking loops (epoll, pipes) that must stay off
/// Swift's cooperative pool.
package struct Thread: Sendable {
    private final class Start: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    private let name: String
    private let body: @Sendable () -> Void

    package init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }

    package func start() throws {
        let start = Unmanaged.passRetained(Start(body)).toOpaque()
        var thread = pthread_t()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        defer { pthread_attr_destroy(&attributes) }
        let rc = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            Unmanaged<Start>.fromOpaque(raw).takeRetainedValue().body()
            return nil
        }, start)
        if rc != 0 {
            Unmanaged<Start>.fromOpaque(start).release()
            throw SystemError("pthread_create \(name)", errno: rc)
        }
        _ = skiff_thread_set_name(thread, String(name.prefix(15)))
    }
}
