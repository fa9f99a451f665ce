import CShims
import Glibc
import Synchronization

/// Watches many container processes for exit on one dedicated thread using
/// epoll over pidfds, so hundreds of containers cost one thread, not one
/// waiting task each, and nothing blocks Swift's cooperative pool.
package final class ExitWatcher: Sendable {
    private struct Entry {
        var pidfd: Int32
        var handler: @Sendable (ExitStatus) -> Void
    }

    private let epollFD: Int32
    private let wakeFD: Int32
    private let entries = Mutex<[Int32: Entry]>([:])
    private let stopped = Atomic<Bool>(false)

    package init() throws {
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        if epollFD < 0 { throw SystemError.current("epoll_create1") }
        wakeFD = eventfd(0, Int32(EFD_CLOEXEC))
        if wakeFD < 0 { throw SystemError.current("eventfd") }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeFD
        if epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event) < 0 { throw SystemError.current("epoll_ctl") }
        let thread = Thread(name: "skiff-exit-watcher") { [self] in self.run() }
        try thread.start()
    }

    /// Calls `handler` once, on the watcher thread, when the process behind
    /// `pidfd` exits. The watcher takes its own copy of the pidfd.
    package func watch(pidfd: Int32, handler: @escaping @Sendable (ExitStatus) -> Void) throws {
        let own = fcntl(pidfd, F_DUPFD_CLOEXEC, 3)
        if own < 0 { throw SystemError.current("dup pidfd") }
        entries.withLock { $0[own] = Entry(pidfd: own, handler: handler) }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = own
        if epoll_ctl(epollFD, EPOLL_CTL_ADD, own, &event) < 0 {
            let error = SystemError.current("epoll_ctl add pidfd")
            _ = entries.withLock { $0.removeValue(forKey: own) }
            close(own)
            throw error
        }
    }

    /// Stops watching everything without calling the handlers (the driver
    /// is shutting down; whoever re-adopts the processes watches them again).
    package func cancelAll() {
        let dropped = entries.withLock { entries in
            defer { entries.removeAll() }
            return Array(entries.keys)
        }
        for fd in dropped {
            epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
            close(fd)
        }
    }

    /// Cancels everything and ends the watcher thread (it closes its fds).
    package func stop() {
        cancelAll()
        stopped.store(true, ordering: .releasing)
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        while true {
            let n = epoll_wait(epollFD, &events, Int32(events.count), -1)
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            if stopped.load(ordering: .acquiring) {
                close(wakeFD)
                close(epollFD)
                return
            }
            for event in events[0..<Int(n)] where event.data.fd != wakeFD {
                let fd = event.data.fd
                guard let entry = entries.withLock({ $0.removeValue(forKey: fd) }) else { continue }
                epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
                let status = Self.reap(pidfd: fd)
                close(fd)
                entry.handler(status)
            }
        }
    }

    /// Collects the exit status; a process that is not our child (adopted
    /// after a restart) yields `.unknown`.
    package static func reap(pidfd: Int32) -> ExitStatus {
        var code: Int32 = 0
        var status: Int32 = 0
        guard skiff_pidfd_wait(pidfd, 0, &code, &status) == 0 else { return .unknown }
        switch code {
        case Int32(CLD_EXITED): return .exited(code: status)
        case Int32(CLD_KILLED), Int32(CLD_DUMPED): return .signaled(signal: status)
        default: return .unknown
        }
    }
}
