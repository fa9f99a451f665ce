import Glibc

/// The named pipes that carry a container's stdout and stderr to the pump.
///
/// There is no per-container shim, so the pipe itself must outlive the daemon:
/// the container holds its end open *read-write*. That makes the container one of
/// the pipe's readers, so it never gets `EPIPE`/`SIGPIPE` while no daemon is
/// reading, and the kernel keeps the buffered bytes; the container only blocks
/// once the (enlarged) buffer is full. A restarted daemon opens the FIFO again
/// and reads on from exactly where its predecessor stopped.
///
/// These calls block briefly on the filesystem; call them from the thread that
/// prepares the container, not from an async task.
package enum ContainerLogFIFO {
    /// How much output a container can write while no daemon reads (1 MiB, the
    /// default `/proc/sys/fs/pipe-max-size`).
    package static let pipeCapacity = 1 << 20

    /// `F_SETPIPE_SZ` from `<linux/fcntl.h>` (`F_LINUX_SPECIFIC_BASE + 7`); Glibc's
    /// Swift module does not export it. It is kernel ABI and cannot change.
    private static let setPipeSize: Int32 = 1024 + 7

    /// Creates the FIFO (mode 0600). An existing FIFO is reused; anything else at
    /// the path is an error.
    package static func create(at path: String) throws {
        if mkfifo(path, 0o600) == 0 { return }
        let failure = SystemError.current("mkfifo \(path)")
        var info = stat()
        guard failure.errno == EEXIST, stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFIFO else {
            throw failure
        }
    }

    /// The container's end: `O_RDWR` (never blocks on open, never sees `EPIPE`)
    /// with the pipe buffer raised to `capacity`. `O_CLOEXEC` keeps it out of
    /// unrelated children; `dup2` onto fd 1 or 2 in the container clears the flag.
    package static func openContainerEnd(_ path: String, capacity: Int = pipeCapacity) throws -> Int32 {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open \(path) (container end)") }
        guard fcntl(fd, setPipeSize, Int32(clamping: capacity)) >= 0 else {
            let failure = SystemError.current("fcntl F_SETPIPE_SZ \(capacity) \(path)")
            LogIO.close(fd)
            throw failure
        }
        return fd
    }

    /// The daemon's end: `O_RDONLY | O_NONBLOCK`, which opens at once even when
    /// no writer exists yet and makes reads report `EAGAIN` instead of blocking.
    package static func openPumpEnd(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open \(path) (pump end)") }
        return fd
    }
}
