import Glibc

/// Node-local persistent volumes, as k3s's local-path provisioner makes them:
/// one directory per volume under a root, bound to a PVC by the agent and
/// mounted into pods as a plain host path.
package struct LocalPathStorage: Sendable {
    package let root: String

    package init(root: String) {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    /// The directory of volume `name` (e.g. `pvc-<uid>_<namespace>_<claim>`).
    package func path(name: String) throws -> String {
        try PodVolumeLayout.checkComponent(name, kind: "volume name")
        return root + "/" + name
    }

    /// Creates the volume's directory, mode 0777 exactly (any pod user may write,
    /// as with local-path-provisioner), and returns its path. An existing one is kept.
    package func provision(name: String) async throws -> String {
        let path = try path(name: name)
        let root = root
        try await Blocking.run {
            try VolumeTree.makeParents(root, mode: 0o755)
            try VolumeTree.makeDirectory(path, mode: 0o777)
        }
        return path
    }

    /// Deletes the volume and its data, never following symlinks a pod left in
    /// it and never entering a filesystem mounted inside it. A missing one is fine.
    package func delete(name: String) async throws {
        let path = try path(name: name)
        try await Blocking.run { try VolumeTree.remove(path) }
    }
}
