import Glibc

/// Creates and removes volume directories without trusting what is inside them.
///
/// Removal walks with directory descriptors (openat/unlinkat), never follows a
/// symlink (a container may plant `data -> /` in its emptyDir) and never enters
/// a directory on another filesystem: a mount that survived unmounting, or a
/// hostPath bind someone placed in the tree, is refused instead of emptied.
/// Mount points on the same filesystem (bind mounts) have the same st_dev, so
/// mountinfo is checked first as well.
enum VolumeTree {
    /// Removes `path` and everything below it. A missing path is not an error.
    static func remove(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            switch errno {
            case ENOENT: return
            case ENOTDIR, ELOOP: // a file or a symlink: remove the entry itself
                if unlink(path) != 0 && errno != ENOENT { throw SystemError.current("unlink \(path)") }
                return
            default: throw SystemError.current("open \(path)")
            }
        }
        defer { close(fd) }
        let mounted = try VolumeMounts.mountPoints(under: path)
        guard mounted.isEmpty else { throw VolumeError.stillMounted(mounted) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemError.current("stat \(path)") }
        try removeContents(of: fd, path: path, device: info.st_dev)
        if rmdir(path) != 0 && errno != ENOENT { throw SystemError.current("rmdir \(path)") }
    }

    /// Creates `path` (one level) and sets its mode exactly, whatever the umask.
    /// An existing directory gets the mode too; anything else there is an error.
    static func makeDirectory(_ path: String, mode: mode_t) throws {
        if mkdir(path, mode) != 0 && errno != EEXIST { throw SystemError.current("mkdir \(path)") }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open \(path)") }
        defer { close(fd) }
        guard fchmod(fd, mode) == 0 else { throw SystemError.current("chmod \(path)") }
    }

    /// `mkdir -p` for the node's own directories (root, pods/<uid>/volumes/<plugin>):
    /// missing components are created 0750, existing ones are left as they are.
    static func makeParents(_ path: String, mode: mode_t = 0o750) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, mode) != 0 && errno != EEXIST { throw SystemError.current("mkdir \(current)") }
        }
    }

    private static func removeContents(of directory: Int32, path: String, device: dev_t) throws {
        for name in try rawEntries(of: directory, path: path) {
            let child = path + "/" + String(decoding: name.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
            var info = stat()
            if fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) != 0 {
                if errno == ENOENT { continue }
                throw SystemError.current("stat \(child)")
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                guard info.st_dev == device else { throw VolumeError.crossesFilesystem(path: child) }
                let fd = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard fd >= 0 else { throw SystemError.current("open \(child)") }
                defer { close(fd) }
                // Re-check through the descriptor: the entry may have been swapped since fstatat.
                var opened = stat()
                guard fstat(fd, &opened) == 0 else { throw SystemError.current("stat \(child)") }
                guard opened.st_dev == device else { throw VolumeError.crossesFilesystem(path: child) }
                try removeContents(of: fd, path: child, device: device)
                if unlinkat(directory, name, AT_REMOVEDIR) != 0 && errno != ENOENT {
                    throw SystemError.current("rmdir \(child)")
                }
            } else if unlinkat(directory, name, 0) != 0 && errno != ENOENT {
                throw SystemError.current("unlink \(child)")
            }
        }
    }

    /// Names in a directory (without `.` and `..`) as strings, for names the node wrote itself.
    static func entries(of directory: Int32, path: String) throws -> [String] {
        try rawEntries(of: directory, path: path).map { name in
            String(decoding: name.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// Names in a directory (without `.` and `..`), NUL-terminated and byte-exact:
    /// a container may create names that are not UTF-8, and teardown must still
    /// remove them. Read through a duplicate descriptor so closing the DIR
    /// stream leaves `directory` open.
    private static func rawEntries(of directory: Int32, path: String) throws -> [[CChar]] {
        let copy = dup(directory)
        guard copy >= 0 else { throw SystemError.current("dup \(path)") }
        guard let stream = fdopendir(copy) else {
            close(copy)
            throw SystemError.current("opendir \(path)")
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [[CChar]] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw SystemError.current("readdir \(path)") }
                break
            }
            var name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                raw.prefix { $0 != 0 }.map { CChar(bitPattern: $0) }
            }
            if name == [46] || name == [46, 46] { continue } // "." and ".."
            name.append(0)
            names.append(name)
        }
        return names
    }
}
