import CShims
import Glibc

/// A pseudo-terminal pair for `exec -t`: the slave becomes the process's
/// controlling terminal, the master is streamed to the client.
package struct Pty: Sendable {
    package var master: Int32
    package var slave: Int32

    package static func open() throws -> Pty {
        var master: Int32 = -1
        var slave: Int32 = -1
        if skiff_openpty(&master, &slave) != 0 { throw SystemError.current("open pty") }
        return Pty(master: master, slave: slave)
    }

    /// A pair from the devpts of the root `/proc/PID/root` names (a running
    /// container's), so the process finds its terminal under its own /dev/pts
    /// (`tty`, `ttyname`), as runc's console socket gives it.
    package static func open(inRootOf pid: Int32) throws -> Pty {
        // O_PATH is not imported into Swift; a plain directory descriptor serves as the root.
        let root = Glibc.open("/proc/\(pid)/root", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { throw SystemError.current("open /proc/\(pid)/root") }
        defer { close(root) }
        var master: Int32 = -1
        var slave: Int32 = -1
        if skiff_openpty_in_root(root, &master, &slave) != 0 { throw SystemError.current("open pty in the container") }
        return Pty(master: master, slave: slave)
    }

    /// Sets the window size (TIOCSWINSZ) so full-screen programs lay out right.
    package func resize(rows: UInt16, columns: UInt16) {
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }
}
