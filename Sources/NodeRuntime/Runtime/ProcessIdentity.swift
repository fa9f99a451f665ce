import Glibc

/// A process named by pid plus its start time (field 22 of /proc/<pid>/stat),
/// so a recorded container is never confused with an unrelated process that
/// later reused its pid.
package struct ProcessIdentity: Codable, Equatable, Sendable {
    package var pid: Int32
    package var startTime: UInt64

    package init(pid: Int32, startTime: UInt64) {
        self.pid = pid
        self.startTime = startTime
    }

    /// Reads the start time of a live pid; nil when it is gone.
    package init?(pid: Int32) {
        guard let start = Self.startTime(of: pid) else { return nil }
        self.init(pid: pid, startTime: start)
    }

    /// True while the same process (not a pid reuse) is alive and not a zombie.
    package var isAlive: Bool {
        guard let stat = Self.stat(of: pid) else { return false }
        return stat.startTime == startTime && stat.state != "Z" && stat.state != "X"
    }

    static func startTime(of pid: Int32) -> UInt64? {
        stat(of: pid)?.startTime
    }

    private static func stat(of pid: Int32) -> (state: Character, startTime: UInt64)? {
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let n = read(fd, &buffer, buffer.count)
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self)
        // The command name may contain spaces and parentheses: fields start after the last ')'.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); the start time is field 22.
        guard fields.count > 19, let state = fields[0].first, let start = UInt64(fields[19]) else { return nil }
        return (state, start)
    }
}
