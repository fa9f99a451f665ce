import Glibc

/// Raw file operations on cgroupfs, done with Glibc so failures keep their errno.
///
/// cgroupfs is not a normal filesystem: a value must reach the kernel in one
/// `write`, files cannot be created, and directories are removed with `rmdir`
/// even though they appear to contain files. Foundation's FileManager hides
/// errno and sometimes probes in ways cgroupfs rejects, so the driver goes
/// through these helpers instead.
enum CgroupFS {
    /// Writes `value` with a single `write(2)`; the step names the value and path
    /// so a kernel rejection reads `write "500" to …/cpu.cfs_period_us: EINVAL`.
    static func write(_ value: String, to path: String) throws {
        let step = "write \"\(value)\" to \(path)"
        // O_TRUNC is ignored by cgroupfs but makes the plain-file fixture trees behave.
        let fd = Glibc.open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current(step) }
        defer { _ = Glibc.close(fd) }
        let bytes = Array(value.utf8)
        let written = bytes.withUnsafeBytes { buffer in
            Glibc.write(fd, buffer.baseAddress, buffer.count)
        }
        guard written >= 0 else { throw SystemError.current(step) }
        guard written == bytes.count else { throw SystemError(step, errno: EIO) }
    }

    /// Reads the whole file.
    static func read(_ path: String) throws -> String {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open \(path)") }
        defer { _ = Glibc.close(fd) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                Glibc.read(fd, buffer.baseAddress, buffer.count)
            }
            if count < 0 {
                if Glibc.errno == EINTR { continue }
                throw SystemError.current("read \(path)")
            }
            if count == 0 { break }
            data.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads the file, or returns nil when it does not exist (controller absent).
    static func readIfPresent(_ path: String) throws -> String? {
        do {
            return try read(path)
        } catch let error as SystemError where error.errno == ENOENT {
            return nil
        }
    }

    static func exists(_ path: String) -> Bool {
        Glibc.access(path, F_OK) == 0
    }

    /// Creates one directory; returns false when it already existed.
    @discardableResult
    static func makeDirectory(_ path: String) throws -> Bool {
        if Glibc.mkdir(path, 0o755) == 0 { return true }
        if Glibc.errno == EEXIST { return false }
        throw SystemError.current("mkdir \(path)")
    }

    /// Removes one cgroup directory. Returns false when it was already gone.
    ///
    /// `EBUSY` is retried for a short while: after the last task exits the
    /// kernel may still hold the cgroup for a moment (css offlining).
    @discardableResult
    static func removeDirectory(_ path: String, busyRetries: Int = 50) throws -> Bool {
        var attempt = 0
        // A task that just exited keeps its cgroup busy for a moment; back off
        // from 1 ms (the common case on container removal) up to 20 ms.
        var delay = 1
        while true {
            if Glibc.rmdir(path) == 0 { return true }
            let err = Glibc.errno
            if err == ENOENT { return false }
            if err == EBUSY, attempt < busyRetries {
                attempt += 1
                pause(milliseconds: delay)
                delay = min(delay * 2, 20)
                continue
            }
            throw SystemError("rmdir \(path)", errno: err)
        }
    }

    /// Names of the subdirectories (child cgroups) of `path`.
    static func subdirectories(of path: String) throws -> [String] {
        guard let dir = Glibc.opendir(path) else { throw SystemError.current("opendir \(path)") }
        defer { _ = Glibc.closedir(dir) }
        var names: [String] = []
        while let entry = Glibc.readdir(dir) {
            guard entry.pointee.d_type == UInt8(DT_DIR) else { continue }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// `path` and every cgroup below it, deepest first, so they can be removed in order.
    static func descendantsDeepestFirst(of path: String) throws -> [String] {
        var result: [String] = []
        for name in try subdirectories(of: path) {
            result += try descendantsDeepestFirst(of: path + "/" + name)
        }
        result.append(path)
        return result
    }

    static func pause(milliseconds: Int) {
        var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        var remaining = timespec()
        while Glibc.nanosleep(&request, &remaining) != 0 && Glibc.errno == EINTR {
            request = remaining
        }
    }
}
