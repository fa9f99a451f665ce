import CShims
import Synchronization
import Foundation
import Glibc
import NodeRuntime

/// A process started in a container for `kubectl exec`: its output read on a
/// dedicated thread, its stdin written as the client sends it, its exit code
/// once it is gone.
package final class AgentExecSession: Sendable {
    package enum Stream: Sendable { case stdout, stderr }

    private let session: ExecSession
    package let output: AsyncStream<(Stream, [UInt8])>
    private let exit: Task<Int32, Never>
    private let stdinFD: Mutex<Int32>

    init(_ session: ExecSession) {
        self.session = session
        stdinFD = Mutex(session.terminal ? session.stdout : session.stdin)
        let (stream, sink) = AsyncStream.makeStream(of: (Stream, [UInt8]).self)
        output = stream
        let fds: [(Int32, Stream)] = session.terminal
            ? [(session.stdout, .stdout)] : [(session.stdout, .stdout), (session.stderr, .stderr)]
        let reader = Thread {
            Self.pump(fds, into: sink, terminal: session.terminal)
        }
        reader.name = "skiff-exec-io"
        reader.start()
        exit = Task.detached {
            await withCheckedContinuation { continuation in
                let waiter = Thread {
                    continuation.resume(returning: ExitWatcher.reap(pidfd: session.pidfd).code)
                }
                waiter.name = "skiff-exec-wait"
                waiter.start()
            }
        }
    }

    /// Copies both streams until each reaches end of file (a pty master reports
    /// EIO once the last process holding the slave is gone).
    private static func pump(
        _ fds: [(Int32, Stream)], into sink: AsyncStream<(Stream, [UInt8])>.Continuation, terminal: Bool
    ) {
        var polls = fds.map { pollfd(fd: $0.0, events: Int16(POLLIN), revents: 0) }
        var buffer = [UInt8](repeating: 0, count: 32 * 1024)
        var open = polls.count
        while open > 0 {
            let ready = poll(&polls, nfds_t(polls.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in polls.indices where polls[index].fd >= 0 && polls[index].revents != 0 {
                let count = read(polls[index].fd, &buffer, buffer.count)
                if count > 0 {
                    sink.yield((fds[index].1, Array(buffer[0..<count])))
                } else if count < 0, errno == EINTR || errno == EAGAIN {
                    continue
                } else {
                    if !terminal { close(polls[index].fd) }
                    polls[index].fd = -1
                    open -= 1
                }
            }
        }
        sink.finish()
    }

    package func writeStdin(_ bytes: [UInt8]) {
        let fd = stdinFD.withLock { $0 }
        guard fd >= 0 else { return }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }

    /// End of input: closes the pipe (with a tty, sends ^D as a terminal would).
    package func closeStdin() {
        if session.terminal {
            writeStdin([4])
            return
        }
        let fd = stdinFD.withLock { fd -> Int32 in
            let old = fd
            fd = -1
            return old
        }
        if fd >= 0 { close(fd) }
    }

    package func resize(columns: UInt16, rows: UInt16) {
        guard session.terminal else { return }
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(session.stdout, UInt(TIOCSWINSZ), &size)
    }

    package func wait() async -> Int32 {
        let code = await exit.value
        if session.terminal { close(session.stdout) }
        return code
    }

    package func cancel() {
        _ = skiff_pidfd_send_signal(session.pidfd, SIGKILL)
    }
}
