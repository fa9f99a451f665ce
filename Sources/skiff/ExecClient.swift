import CShims
import Foundation
import Glibc
import NodeRuntime

/// Runs an exec'd process with this terminal: stdio passed straight through,
/// or with `-t` a pty whose master is copied to and from our terminal in raw mode.
enum ExecClient {
    static func run(target: ExecTarget, args: [String], env: [String], tty: Bool) throws -> Int32 {
        var spec = target.launchSpec(args: args, extraEnv: env, terminal: tty)
        guard tty else {
            spec.stdio = [0, 1, 2]
            let process = try Launcher.launch(spec)
            defer { close(process.pidfd) }
            return ExitWatcher.reap(pidfd: process.pidfd).code
        }
        let pty = try Pty.open()
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0 { pty.resize(rows: size.ws_row, columns: size.ws_col) }
        spec.stdio = [pty.slave, pty.slave, pty.slave]
        let process: LaunchedProcess
        do {
            process = try Launcher.launch(spec)
        } catch {
            close(pty.master)
            close(pty.slave)
            throw error
        }
        close(pty.slave)
        defer {
            close(pty.master)
            close(process.pidfd)
        }
        let restore = RawTerminal.enter(fd: 0)
        defer { restore?() }
        TerminalCopy.pump(master: pty.master, pidfd: process.pidfd)
        return ExitWatcher.reap(pidfd: process.pidfd).code
    }
}

enum RawTerminal {
    /// Puts `fd` in raw mode if it is a terminal; returns the restore action.
    static func enter(fd: Int32) -> (() -> Void)? {
        var original = termios()
        guard isatty(fd) == 1, tcgetattr(fd, &original) == 0 else { return nil }
        var raw = original
        cfmakeraw(&raw)
        tcsetattr(fd, TCSANOW, &raw)
        return { tcsetattr(fd, TCSANOW, &original) }
    }
}

enum TerminalCopy {
    /// Copies stdin → master and master → stdout until the process exits.
    static func pump(master: Int32, pidfd: Int32) {
        var fds = [
            pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
            pollfd(fd: master, events: Int16(POLLIN), revents: 0),
            pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0),
        ]
        var buffer = [UInt8](repeating: 0, count: 16384)
        var stdinOpen = true
        while true {
            fds[0].fd = stdinOpen ? 0 : -1
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 {
                let n = read(master, &buffer, buffer.count)
                if n > 0 {
                    _ = write(1, buffer, n)
                } else if n == 0 || errno != EINTR {
                    // EIO: every slave fd is closed; only the exit is left to wait for.
                    fds[1].fd = -1
                }
            }
            if stdinOpen && fds[0].revents != 0 {
                let n = read(0, &buffer, buffer.count)
                if n > 0 { _ = write(master, buffer, n) } else { stdinOpen = false }
            }
            if fds[2].revents != 0 {
                // Drain what the process wrote before it exited.
                while true {
                    var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                    guard poll(&p, 1, 0) > 0 else { break }
                    let n = read(master, &buffer, buffer.count)
                    if n <= 0 { break }
                    _ = write(1, buffer, n)
                }
                return
            }
        }
    }
}
