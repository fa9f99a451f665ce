import Glibc

/// A private scratch directory under `<root>/tmp` for one import. Archives are
/// unpacked and layers extracted here, on the store's file system, so that
/// publishing them is a rename and a failed import leaves nothing behind.
///
/// The directory is `flock`ed for as long as the import runs; a later import
/// removes directories nobody holds (left by a crash). Create and sweep only
/// while holding the store lock, so a sweep never sees a directory between its
/// creation and its `flock`.
struct ImageStaging {
    let path: String
    private let fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    static func create(in directory: String) throws -> ImageStaging {
        var template = Array("\(directory)/import-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let path = created else { throw SystemError.current("mkdtemp \(directory)/import-XXXXXX") }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            let error = SystemError.current("open \(path)")
            ImageFiles.removeTreeQuietly(path)
            throw error
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let error = SystemError.current("flock \(path)")
            close(fd)
            ImageFiles.removeTreeQuietly(path)
            throw error
        }
        return ImageStaging(path: path, fd: fd)
    }

    /// Removes the directory and releases its lock.
    func discard() {
        ImageFiles.removeTreeQuietly(path)
        close(fd)
    }

    /// Removes staging directories whose import is no longer running.
    static func sweepAbandoned(in directory: String) {
        guard let names = try? ImageFiles.list(directory) else { return }
        for name in names {
            let path = "\(directory)/\(name)"
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if fd < 0 {
                ImageFiles.removeTreeQuietly(path)
                continue
            }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                ImageFiles.removeTreeQuietly(path)
            }
            close(fd)
        }
    }
}
