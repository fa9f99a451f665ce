import Glibc
import Synchronization

/// A self-pipe that lets any thread interrupt a `poll(2)` on a dedicated thread.
///
/// Glibc's Swift module exports neither `eventfd` nor `epoll`, so a non-blocking
/// pipe does the job. Signalling and closing share a lock: a signal that races
/// with the owner closing the pipe must never write into a descriptor number the
/// process has since reused for something else.
package final class LogWakePipe: Sendable {
    private struct Ends {
        var read: Int32
        var write: Int32
    }

    /// For the poll set of the owning thread; valid until `close()`.
    package let readFD: Int32
    private let ends: Mutex<Ends>

    package init() throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw SystemError.current("pipe (wake)") }
        do {
            for fd in fds {
                try LogIO.setNonBlocking(fd, step: "fcntl O_NONBLOCK (wake pipe)")
                try LogIO.setCloseOnExec(fd, step: "fcntl FD_CLOEXEC (wake pipe)")
            }
        } catch {
            fds.forEach(LogIO.close)
            throw error
        }
        readFD = fds[0]
        ends = Mutex(Ends(read: fds[0], write: fds[1]))
    }

    /// Makes `readFD` readable. A full pipe already means "wake up", so `EAGAIN` is fine.
    package func signal() {
        ends.withLock { ends in
            guard ends.write >= 0 else { return }
            var byte: UInt8 = 1
            _ = write(ends.write, &byte, 1)
        }
    }

    /// Consumes pending signals; call after `poll` reports `readFD` readable.
    package func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while let count = LogIO.read(readFD, into: &buffer), count > 0 {}
    }

    /// Called once by the owning thread when it stops polling.
    package func close() {
        ends.withLock { ends in
            LogIO.close(ends.read)
            LogIO.close(ends.write)
            ends = Ends(read: -1, write: -1)
        }
    }
}
