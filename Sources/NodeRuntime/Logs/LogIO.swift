import Glibc

/// The few raw syscalls the log pump and reader share, with `EINTR` retried and
/// failures turned into `SystemError`. Plain Glibc calls rather than
/// `FileHandle` so that non-blocking pipes report `EAGAIN` instead of trapping.
package enum LogIO {
    /// One `read(2)` into `buffer`; returns the byte count (0 at end of file) or
    /// nil with `errno` set (`EAGAIN` on an empty non-blocking pipe).
    package static func read(_ fd: Int32, into buffer: inout [UInt8]) -> Int? {
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count >= 0 { return count }
            if errno != EINTR { return nil }
        }
    }

    /// Writes every byte, resuming after short writes. On failure, reports how
    /// many bytes did reach the file so the caller can account for the rest.
    package static func writeAll(_ fd: Int32, _ bytes: [UInt8], step: String) -> (written: Int, error: SystemError?) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                Glibc.write(fd, raw.baseAddress.map { $0 + written }, raw.count - written)
            }
            if count > 0 {
                written += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return (written, count < 0 ? .current(step) : SystemError(step, errno: EIO))
            }
        }
        return (written, nil)
    }

    package static func setNonBlocking(_ fd: Int32, step: String) throws {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else { throw SystemError.current(step) }
    }

    package static func setCloseOnExec(_ fd: Int32, step: String) throws {
        let flags = fcntl(fd, F_GETFD)
        guard flags >= 0, fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == 0 else { throw SystemError.current(step) }
    }

    /// Closes and ignores the result: after `close(2)` fails the descriptor is gone anyway.
    package static func close(_ fd: Int32) {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Which file an open descriptor refers to, to notice a log file being rotated away.
    package static func identity(of fd: Int32) -> LogFileIdentity? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        return LogFileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Which file a path names right now (nil if it does not exist).
    package static func identity(ofPath path: String) -> LogFileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return LogFileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    package static func size(of fd: Int32) -> Int? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    package static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
