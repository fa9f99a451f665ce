import CShims
import Glibc

/// The file system calls the image store makes, each failing with a
/// `SystemError` that names the step and path. Plain syscalls rather than
/// `FileManager` so that errors keep their errno and symlinks are never
/// followed when deleting.
enum ImageFiles {
    enum Kind: Equatable {
        case regular, directory, symlink, other
    }

    /// What is at `path` without following a final symlink; nil if nothing is.
    static func kind(_ path: String) throws -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw SystemError.current("lstat \(path)")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    static func exists(_ path: String) throws -> Bool {
        try kind(path) != nil
    }

    /// Creates `path` with `mode` and missing parents with 0755; an existing
    /// directory is fine.
    static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
        if try kind(path) == .directory { return }
        let parent = parentDirectory(of: path)
        if parent != path { try makeDirectories(parent) }
        if mkdir(path, mode) != 0 {
            let error = SystemError.current("mkdir \(path)")
            // Lost a race with another creator: fine if a directory won.
            if error.errno != EEXIST { throw error }
            if try kind(path) != .directory { throw error }
        }
    }

    /// `/a/b/c` → `/a/b`; `/a` → `/`.
    static func parentDirectory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// The absolute, symlink-free form of `path` (which must exist).
    static func canonicalPath(_ path: String) throws -> String {
        guard let resolved = realpath(path, nil) else {
            throw SystemError.current("realpath \(path)")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func rename(_ from: String, to: String) throws {
        if Glibc.rename(from, to) != 0 {
            throw SystemError.current("rename \(from) to \(to)")
        }
    }

    static func setMode(_ path: String, _ mode: mode_t) throws {
        if chmod(path, mode) != 0 { throw SystemError.current("chmod \(path)") }
    }

    /// Names in a directory, without `.` and `..`, sorted.
    static func list(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw SystemError.current("opendir \(path)") }
        defer { closedir(dir) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw SystemError.current("readdir \(path)") }
                break
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Deletes `path` and everything below it; symlinks are removed, never
    /// followed. A missing path is fine.
    static func removeTree(_ path: String) throws {
        guard let kind = try kind(path) else { return }
        if kind == .directory {
            for name in try list(path) { try removeTree(path + "/" + name) }
            if rmdir(path) != 0 && errno != ENOENT { throw SystemError.current("rmdir \(path)") }
        } else if unlink(path) != 0 && errno != ENOENT {
            throw SystemError.current("unlink \(path)")
        }
    }

    /// Best-effort removal for cleanup paths, where a second error would only
    /// hide the one being reported.
    static func removeTreeQuietly(_ path: String) {
        _ = try? removeTree(path)
    }

    /// Reads a whole (small) file, refusing anything above `limit` bytes so a
    /// hostile archive cannot make the daemon allocate without bound.
    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open \(path)") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError.current("read \(path)")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit {
                throw RuntimeError("\(path) is larger than \(limit) bytes")
            }
        }
        return bytes
    }

    /// sha256 and size of a file's bytes.
    static func digest(of path: String) throws -> (digest: ImageDigest, size: Int64) {
        try copyAndDigest(from: path, to: nil)
    }

    /// Copies `from` to `to` (when given) and hashes the bytes in the same
    /// pass, so the digest describes exactly the copy that was written.
    static func copyAndDigest(from: String, to: String?) throws -> (digest: ImageDigest, size: Int64) {
        let input = open(from, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw SystemError.current("open \(from)") }
        defer { close(input) }
        var output: Int32 = -1
        if let to {
            output = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard output >= 0 else { throw SystemError.current("create \(to)") }
        }
        defer { if output >= 0 { close(output) } }
        var digester = ImageDigester()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError.current("read \(from)")
            }
            if n == 0 { break }
            try chunk.withUnsafeBytes { buffer in
                let filled = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
                digester.update(filled)
                if let to { try writeAll(output, filled, path: to) }
            }
        }
        return (digester.finalize(), digester.byteCount)
    }

    /// Replaces `path` with `bytes` so readers see the old or the new file,
    /// never a torn one, even across a crash: temp file, fsync, rename, fsync dir.
    static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws {
        let temp = "\(path).tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError.current("create \(temp)") }
        do {
            try bytes.withUnsafeBytes { try writeAll(fd, $0, path: temp) }
            if fsync(fd) != 0 { throw SystemError.current("fsync \(temp)") }
            close(fd)
            try rename(temp, to: path)
        } catch {
            close(fd)
            unlink(temp)
            throw error
        }
        try syncDirectory(parentDirectory(of: path))
    }

    static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open \(path)") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw SystemError.current("fsync \(path)") }
    }

    /// Flushes the whole file system holding `path`: one call instead of an
    /// fsync per unpacked file before layers are published.
    static func syncFileSystem(containing path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open \(path)") }
        defer { close(fd) }
        if skiff_archive_syncfs(fd) != 0 { throw SystemError.current("syncfs \(path)") }
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress?.advanced(by: offset), bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError.current("write \(path)")
            }
            offset += n
        }
    }
}
