import Glibc

/// The volumes of the pods on this node, under one root (the agent's DATA/pods).
package struct PodVolumes: Sendable {
    package let root: String

    package init(root: String) {
        self.root = root
    }

    package func layout(podUID: String) throws -> PodVolumeLayout {
        try PodVolumeLayout(root: root, podUID: podUID)
    }

    /// Removes everything the node holds for a pod: unmounts every mount under
    /// `<root>/<podUID>` (deepest first; a busy one is detached), then deletes the
    /// directory tree without following symlinks and without entering any other
    /// filesystem. If a mount cannot be removed, nothing is deleted and the error
    /// names it. Idempotent: a pod already torn down (or never set up) is fine.
    ///
    /// hostPath volumes are never under this directory; their contents are safe
    /// even if one were bind-mounted here (it is unmounted, never walked into).
    package func tearDown(podUID: String) async throws {
        let directory = try layout(podUID: podUID).podDirectory
        try await Blocking.run { try Self.tearDownNow(directory) }
    }

    static func tearDownNow(_ directory: String) throws {
        var info = stat()
        guard lstat(directory, &info) == 0 else {
            if errno == ENOENT { return }
            throw SystemError.current("stat \(directory)")
        }
        // Each pass unmounts the top of every stack; nested and stacked mounts
        // need a few. A mount that will not go shows up again and is reported.
        for _ in 0..<8 {
            let mounted = try VolumeMounts.mountPoints(under: directory)
            if mounted.isEmpty { break }
            for path in mounted { try VolumeMounts.unmount(path) }
        }
        try VolumeTree.remove(directory)
    }
}
