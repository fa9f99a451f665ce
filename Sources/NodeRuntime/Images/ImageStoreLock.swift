import Glibc

/// An exclusive `flock` on the store's `lock` file, held while metadata,
/// blobs or layers are published or deleted. `flock` (unlike `fcntl` locks)
/// also excludes other threads of this process that open the file themselves,
/// and the kernel drops it if the holder dies.
struct ImageStoreLock: Sendable {
    let path: String

    /// Creates the lock file if needed so the store's listing is stable.
    func create() throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemError.current("open \(path)") }
        close(fd)
    }

    func withExclusiveAccess<T>(_ body: () throws -> T) throws -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemError.current("open \(path)") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw SystemError.current("flock \(path)") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
