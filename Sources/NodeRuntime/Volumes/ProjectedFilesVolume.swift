/// A secret, configMap, downwardAPI or projected volume: a tmpfs holding a set
/// of files published atomically (see `AtomicWriter`).
///
/// Every kind gets a tmpfs: for secrets so the bytes never reach the node's
/// disk (the kubelet does the same), for the others so that all four behave
/// alike and teardown is one unmount.
package enum ProjectedFilesVolume {
    /// Mounts the tmpfs at `path` if it is not mounted yet (first sync, or after
    /// a daemon restart it is simply re-adopted), then publishes `files` unless
    /// they are already there. Call it on every sync: when a Secret or ConfigMap
    /// changes the container sees the whole new set at once.
    ///
    /// - Parameters:
    ///   - files: relative path → bytes and mode. Absolute paths, `..` components
    ///     and top-level names starting with `..` are refused with the kubelet's messages.
    ///   - fsGroup: the pod's `securityContext.fsGroup`: files and directories get
    ///     this group and group read.
    /// - Returns: whether anything changed on disk.
    package static func update(at path: String, files: [String: ProjectedFile], fsGroup: UInt32? = nil) async throws -> Bool {
        try await Blocking.run { try updateNow(at: path, files: files, fsGroup: fsGroup) }
    }

    static func updateNow(at path: String, files: [String: ProjectedFile], fsGroup: UInt32?) throws -> Bool {
        // Check every path before mounting anything, so a bad payload leaves no trace.
        for name in files.keys { _ = try ProjectedPath.clean(name) }
        try EmptyDirVolume.setUpNow(at: path, medium: .memory, sizeLimitBytes: nil)
        return try AtomicWriter(directory: path, fsGroup: fsGroup).write(files)
    }
}
