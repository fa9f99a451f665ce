import Glibc

/// The mount operations volumes need: what is mounted where (from
/// `/proc/self/mountinfo`, the only view that sees stacked and bind mounts),
/// tmpfs mounts and unmounts. Blocking; callers run on `Blocking`.
enum VolumeMounts {
    /// Every mount of this mount namespace, in mount order (stacked mounts repeat a mount point).
    static func table() throws -> [MountInfoEntry] {
        let path = "/proc/self/mountinfo"
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open \(path)") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError.current("read \(path)")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
            .split(separator: "\n")
            .compactMap { MountInfoEntry(line: $0) }
    }

    /// The filesystem type mounted on top of `path`, or nil when it is not a mount point.
    static func fileSystemType(at path: String) throws -> String? {
        let resolved = try canonical(path)
        return try table().last { $0.mountPoint == resolved }?.fileSystemType
    }

    /// Mount points at or below `directory`, deepest (and most recently stacked) first,
    /// so unmounting in this order never meets a busy parent.
    static func mountPoints(under directory: String) throws -> [String] {
        let resolved = try canonical(directory)
        let prefix = resolved.hasSuffix("/") ? resolved : resolved + "/"
        let found = try table().map(\.mountPoint).filter { $0 == resolved || $0.hasPrefix(prefix) }
        // Reverse mount order puts stacked mounts top-first; the stable sort by depth keeps that.
        return Array(found.reversed().enumerated())
            .sorted { lhs, rhs in
                let (left, right) = (depth(lhs.element), depth(rhs.element))
                return left != right ? left > right : lhs.offset < rhs.offset
            }
            .map(\.element)
    }

    /// Mounts a fresh tmpfs on `path` (nosuid, nodev, as the kubelet's memory medium).
    static func mountTmpfs(at path: String, options: [String]) throws {
        let data = options.joined(separator: ",")
        let flags = MountFlags([.noSuid, .noDev]).rawValue
        guard mount("tmpfs", path, "tmpfs", flags, data.isEmpty ? nil : data) == 0 else {
            throw SystemError.current("mount tmpfs on \(path)" + (data.isEmpty ? "" : " (\(data))"))
        }
    }

    /// Unmounts the top mount on `path`; a busy one is detached lazily (MNT_DETACH)
    /// so teardown of a pod whose last process is still exiting still completes.
    /// Never follows a symlink at `path` (UMOUNT_NOFOLLOW).
    static func unmount(_ path: String) throws {
        if umount2(path, noFollow) == 0 { return }
        let first = errno
        if first == EINVAL || first == ENOENT { return } // not a mount point (any more)
        if first == EBUSY, umount2(path, noFollow | Int32(MNT_DETACH)) == 0 { return }
        throw SystemError("umount \(path)", errno: first == EBUSY ? errno : first)
    }

    /// `path` with symlinks resolved, as mountinfo spells mount points.
    static func canonical(_ path: String) throws -> String {
        guard let resolved = realpath(path, nil) else { throw SystemError.current("realpath \(path)") }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// UMOUNT_NOFOLLOW (linux/fs.h); not exported by Swift's Glibc module.
    private static let noFollow: Int32 = 8

    private static func depth(_ path: String) -> Int {
        path.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) }
    }
}
