import Glibc

/// A hostPath volume: the node's own path, checked (and for the `OrCreate`
/// types created) as the kubelet does before the container starts. The
/// container mounts `path` itself; nothing is placed under the pod's directory.
package enum HostPathVolume {
    /// Checks `path` against the Kubernetes `type` string (`""`, `Directory`, ...).
    /// Symlinks are followed, as the kubelet's stat does. Errors carry the
    /// kubelet's messages, e.g. `hostPath type check failed: /x is not a directory, it's a File`.
    package static func prepare(path: String, type: String) async throws {
        guard let type = HostPathType(rawValue: type) else { throw VolumeError.invalidHostPathType(type) }
        try await prepare(path: path, type: type)
    }

    package static func prepare(path: String, type: HostPathType) async throws {
        try await Blocking.run { try prepareNow(path: path, type: type) }
    }

    static func prepareNow(path: String, type: HostPathType) throws {
        guard let expected = type.expectedKind else { return }
        var info = stat()
        let exists = stat(path, &info) == 0
        if !exists {
            switch type {
            case .directoryOrCreate: return try makeDirectories(path)
            case .fileOrCreate: return try makeFile(path)
            default: throw VolumeError.hostPathMissing(path: path)
            }
        }
        guard let found = HostPathFileKind(mode: info.st_mode) else {
            throw VolumeError.hostPathTypeUnknown(path: path, expected: expected.description)
        }
        guard found == expected else {
            throw VolumeError.hostPathTypeMismatch(path: path, expected: expected.description, found: found.rawValue)
        }
    }

    /// `mkdir -p` with 0755 on each directory it creates (exactly: chmod past the umask).
    private static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) == 0 {
                guard chmod(current, 0o755) == 0 else { throw SystemError.current("chmod \(current)") }
            } else if errno != EEXIST {
                throw SystemError.current("mkdir \(current)")
            }
        }
    }

    /// An empty file, mode 0644; one created meanwhile by someone else is kept.
    /// The parent must exist, as with the kubelet.
    private static func makeFile(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 {
            if errno == EEXIST { return }
            throw SystemError.current("open \(path)")
        }
        defer { close(fd) }
        guard fchmod(fd, 0o644) == 0 else { throw SystemError.current("chmod \(path)") }
    }
}
