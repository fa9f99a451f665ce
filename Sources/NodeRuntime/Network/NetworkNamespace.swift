import CShims
import Glibc

/// A network namespace held open through its nsfs file: `/run/netns/<name>`
/// or a pod's bind mount. The open descriptor keeps the namespace alive and
/// is what the kernel takes to place a veth end (IFLA_NET_NS_FD) or to enter
/// it (setns), so nothing here depends on the path staying mounted.
package final class NetworkNamespace: Sendable {
    package let path: String
    package let fd: Int32

    package init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open netns \(path)") }
        self.path = path
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// Runs `body` on a short-lived thread that has entered this namespace and
    /// waits for it. The calling thread never changes namespace, so this is
    /// safe from Swift's cooperative pool. Sockets created and files opened in
    /// `body` belong to this namespace for their lifetime.
    package func perform<T: Sendable>(_ body: @Sendable () throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { body in
            var result: Result<T, any Error>?
            let job = Job { result = Result { try body() } }
            let rc = skiff_netns_run(fd, { raw in
                guard let raw else { return }
                Unmanaged<Job>.fromOpaque(raw).takeUnretainedValue().work()
            }, Unmanaged.passUnretained(job).toOpaque())
            if rc != 0 { throw SystemError("setns netns \(path)", errno: -rc) }
            guard let result else { throw RuntimeError("netns \(path): the namespace thread did not run") }
            return try result.get()
        }
    }

    /// Turns IPv4 forwarding on or off in this namespace only. The write
    /// happens on a thread inside the namespace because /proc/sys/net shows
    /// the namespace of the task that opens the file; the host's own setting
    /// is never touched.
    package func setIPv4Forwarding(_ enabled: Bool) throws {
        let path = "/proc/sys/net/ipv4/ip_forward"
        let namespacePath = self.path
        try perform {
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw SystemError.current("open \(path) in netns \(namespacePath)") }
            defer { close(fd) }
            let value: [UInt8] = enabled ? [UInt8(ascii: "1"), 10] : [UInt8(ascii: "0"), 10]
            guard write(fd, value, value.count) == value.count else {
                throw SystemError.current("write \(path) in netns \(namespacePath)")
            }
        }
    }

    /// Reads this namespace's IPv4 forwarding setting (same per-namespace view).
    package func ipv4Forwarding() throws -> Bool {
        let path = "/proc/sys/net/ipv4/ip_forward"
        let namespacePath = self.path
        return try perform {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw SystemError.current("open \(path) in netns \(namespacePath)") }
            defer { close(fd) }
            var byte: UInt8 = 0
            guard read(fd, &byte, 1) == 1 else { throw SystemError.current("read \(path) in netns \(namespacePath)") }
            return byte == UInt8(ascii: "1")
        }
    }

    /// Carries the work to the namespace thread. The caller blocks in
    /// pthread_join while the thread runs it, so it is never touched from two
    /// threads at once.
    private final class Job {
        let work: () -> Void

        init(_ work: @escaping () -> Void) {
            self.work = work
        }
    }
}
