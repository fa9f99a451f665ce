import Glibc

/// Publishes a set of files in a directory so that readers see either the old
/// set or the new one, never a mix: the kubelet's AtomicWriter scheme, which
/// containers (and tools watching `..data` with inotify) rely on.
///
///     <dir>/..2026_11_28_07_00_00.123456789/   the files, written once, never edited
///     <dir>/..data -> ..2026_11_28_07_00_00.123456789
///     <dir>/key    -> ..data/key                  one per top-level entry
///
/// An update writes a new timestamped directory, points a fresh `..data_tmp`
/// symlink at it and renames that over `..data` (rename(2) is atomic), then
/// drops top-level links no longer in the set and the previous directory.
/// A reader that resolves `..data` once sees one consistent version.
///
/// Blocking and not thread-safe: one writer per directory (the agent syncs a
/// pod's volumes from one task).
struct AtomicWriter {
    static let dataLink = "..data"
    static let newDataLink = "..data_tmp"

    let directory: String
    /// When set, files and directories get this group and group read (the
    /// kubelet's fsGroup ownership), so a non-root container user in the group can read them.
    var fsGroup: UInt32?

    /// Writes `payload` (relative path → file) unless the directory already holds
    /// exactly that. - Returns: whether anything changed.
    func write(_ payload: [String: ProjectedFile]) throws -> Bool {
        var files: [String: ProjectedFile] = [:]
        for (path, file) in payload { files[try ProjectedPath.clean(path)] = file }

        let dirfd = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard dirfd >= 0 else { throw SystemError.current("open \(directory)") }
        defer { close(dirfd) }

        let current = try readLink(dirfd, Self.dataLink)
        var stale: Set<String> = []
        if let current {
            let existing = try walk(dirfd, current)
            stale = existing.subtracting(Self.pathsWithParents(files.keys))
            if stale.isEmpty, try !differs(dirfd, current, files) {
                try publishTopLevel(dirfd, files.keys) // repairs a link lost in a crash; normally a no-op
                return false
            }
        }

        let version = try makeVersionDirectory(dirfd)
        do {
            try writeFiles(dirfd, version, files)
            try publishTopLevel(dirfd, files.keys)
            _ = unlinkat(dirfd, Self.newDataLink, 0) // left by a crash between symlink and rename
            guard symlinkat(version, dirfd, Self.newDataLink) == 0 else {
                throw SystemError.current("symlink \(directory)/\(Self.newDataLink)")
            }
            guard renameat(dirfd, Self.newDataLink, dirfd, Self.dataLink) == 0 else {
                let error = SystemError.current("rename \(directory)/\(Self.newDataLink)")
                _ = unlinkat(dirfd, Self.newDataLink, 0)
                throw error
            }
        } catch {
            try? VolumeTree.remove(directory + "/" + version)
            throw error
        }

        for path in stale where !path.contains("/") && files[path] == nil {
            if unlinkat(dirfd, path, 0) != 0 && errno != ENOENT && errno != EISDIR {
                throw SystemError.current("unlink \(directory)/\(path)")
            }
        }
        // The previous version, and any left behind by a crash mid-update.
        for name in try VolumeTree.entries(of: dirfd, path: directory)
        where name != version && Self.isVersionDirectory(name) {
            try VolumeTree.remove(directory + "/" + name)
        }
        return true
    }

    // MARK: reading the current version

    /// Every file and directory below `version`, relative to it.
    private func walk(_ dirfd: Int32, _ version: String) throws -> Set<String> {
        var found: Set<String> = []
        func visit(_ relative: String) throws {
            let path = version + "/" + relative
            let fd = openat(dirfd, relative.isEmpty ? version : path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else {
                if errno == ENOENT && relative.isEmpty { return } // ..data dangling: rewrite everything
                throw SystemError.current("open \(directory)/\(path)")
            }
            defer { close(fd) }
            for name in try VolumeTree.entries(of: fd, path: directory + "/" + path) {
                let child = relative.isEmpty ? name : relative + "/" + name
                found.insert(child)
                var info = stat()
                guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                    throw SystemError.current("stat \(directory)/\(version)/\(child)")
                }
                if info.st_mode & S_IFMT == S_IFDIR { try visit(child) }
            }
        }
        try visit("")
        return found
    }

    /// Whether any file is missing or has other bytes, mode or group than `files` wants.
    private func differs(_ dirfd: Int32, _ version: String, _ files: [String: ProjectedFile]) throws -> Bool {
        for (path, file) in files {
            let fd = openat(dirfd, version + "/" + path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { return true }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw SystemError.current("stat \(directory)/\(version)/\(path)") }
            guard info.st_mode & S_IFMT == S_IFREG,
                  info.st_mode & 0o7777 == fileMode(file),
                  fsGroup.map({ info.st_gid == $0 }) ?? true,
                  Int(info.st_size) == file.bytes.count
            else { return true }
            if try readAll(fd, path: path) != file.bytes { return true }
        }
        return false
    }

    // MARK: writing a version

    /// `..YYYY_MM_DD_HH_MM_SS.<random>` (UTC), mode 0755 whatever the umask, as the kubelet names them.
    private func makeVersionDirectory(_ dirfd: Int32) throws -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let stamp = "..\(pad(parts.tm_year + 1900, 4))_\(pad(parts.tm_mon + 1, 2))_\(pad(parts.tm_mday, 2))_"
            + "\(pad(parts.tm_hour, 2))_\(pad(parts.tm_min, 2))_\(pad(parts.tm_sec, 2))."
        for _ in 0..<100 {
            let name = stamp + String(UInt32.random(in: 0...UInt32.max))
            if mkdirat(dirfd, name, 0o700) != 0 {
                if errno == EEXIST { continue }
                throw SystemError.current("mkdir \(directory)/\(name)")
            }
            try setOwnership(dirfd, name, mode: directoryMode)
            return name
        }
        throw SystemError("mkdir \(directory)/\(stamp)*", errno: EEXIST)
    }

    private func writeFiles(_ dirfd: Int32, _ version: String, _ files: [String: ProjectedFile]) throws {
        var made: Set<String> = []
        for (path, file) in files.sorted(by: { $0.key < $1.key }) {
            for parent in ProjectedPath.parents(of: path) where !made.contains(parent) {
                let relative = version + "/" + parent
                if mkdirat(dirfd, relative, 0o700) != 0 && errno != EEXIST {
                    throw SystemError.current("mkdir \(directory)/\(relative)")
                }
                try setOwnership(dirfd, relative, mode: directoryMode)
                made.insert(parent)
            }
            let relative = version + "/" + path
            let fd = openat(dirfd, relative, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw SystemError.current("open \(directory)/\(relative)") }
            defer { close(fd) }
            try writeAll(fd, file.bytes, path: relative)
            if let fsGroup, fchown(fd, UInt32.max, fsGroup) != 0 {
                throw SystemError.current("chown \(directory)/\(relative)")
            }
            guard fchmod(fd, fileMode(file)) == 0 else { throw SystemError.current("chmod \(directory)/\(relative)") }
        }
    }

    /// `name -> ..data/name` for each top-level entry that has no link yet.
    private func publishTopLevel(_ dirfd: Int32, _ paths: Dictionary<String, ProjectedFile>.Keys) throws {
        for name in Set(paths.map(ProjectedPath.topLevel)) {
            if try readLink(dirfd, name) != nil { continue }
            if symlinkat(Self.dataLink + "/" + name, dirfd, name) != 0 && errno != EEXIST {
                throw SystemError.current("symlink \(directory)/\(name)")
            }
        }
    }

    // MARK: helpers

    /// The file's mode, plus group read under an fsGroup (the kubelet adds it when it chowns).
    private func fileMode(_ file: ProjectedFile) -> mode_t {
        mode_t(file.mode & 0o7777) | (fsGroup == nil ? 0 : 0o040)
    }

    /// 0755; with an fsGroup also setgid, so files created later inherit the group.
    private var directoryMode: mode_t { fsGroup == nil ? 0o755 : 0o2755 }

    private func setOwnership(_ dirfd: Int32, _ relative: String, mode: mode_t) throws {
        if let fsGroup, fchownat(dirfd, relative, UInt32.max, fsGroup, AT_SYMLINK_NOFOLLOW) != 0 {
            throw SystemError.current("chown \(directory)/\(relative)")
        }
        guard fchmodat(dirfd, relative, mode, 0) == 0 else { throw SystemError.current("chmod \(directory)/\(relative)") }
    }

    /// The target of symlink `name`, or nil when there is none (missing or not a link).
    private func readLink(_ dirfd: Int32, _ name: String) throws -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlinkat(dirfd, name, &buffer, buffer.count)
        if count < 0 {
            if errno == ENOENT || errno == EINVAL { return nil }
            throw SystemError.current("readlink \(directory)/\(name)")
        }
        let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // Only a version directory of ours is followed; anything else is replaced.
        if name == Self.dataLink && !Self.isVersionDirectory(target) { return nil }
        return target
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError.current("write \(directory)/\(path)")
            }
            offset += count
        }
    }

    private func readAll(_ fd: Int32, path: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError.current("read \(directory)/\(path)")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Every path the payload needs, directories included (`a/b/c` → a, a/b, a/b/c).
    static func pathsWithParents(_ paths: Dictionary<String, ProjectedFile>.Keys) -> Set<String> {
        var result: Set<String> = []
        for path in paths {
            result.insert(path)
            result.formUnion(ProjectedPath.parents(of: path))
        }
        return result
    }

    /// `..2026_11_28_07_00_00.123`: a version directory (not `..data`, `..data_tmp`).
    static func isVersionDirectory(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count > 3, bytes[0] == UInt8(ascii: "."), bytes[1] == UInt8(ascii: "."), !name.contains("/") else {
            return false
        }
        return bytes[2] >= UInt8(ascii: "0") && bytes[2] <= UInt8(ascii: "9")
    }
}
