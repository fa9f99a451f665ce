import Glibc
import Synchronization

/// Exclusive access to one IPAM directory, from any thread of any process.
///
/// Two locks, because neither covers both cases: `flock` excludes other
/// processes (a second daemon, the ctl, a test binary) and is dropped by the
/// kernel if the holder dies, but it belongs to the open file description, so
/// threads sharing this one descriptor would all "hold" it at once; the
/// `Mutex` serialises those threads first. The descriptor stays open for the
/// lock's lifetime so an allocation costs no extra `open`.
final class PodIPAMLock: Sendable {
    let path: String
    private let fd: Int32
    private let threads = Mutex(())

    init(path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw SystemError.current("open \(path)") }
        self.path = path
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    func withExclusiveAccess<T: Sendable>(_ body: () throws -> T) throws -> T {
        try threads.withLock { _ in
            while flock(fd, LOCK_EX) != 0 {
                if errno != EINTR { throw SystemError.current("flock \(path)") }
            }
            defer { flock(fd, LOCK_UN) }
            return try body()
        }
    }
}
