import Glibc

/// Where an emptyDir keeps its bytes (`emptyDir.medium`).
package enum EmptyDirMedium: Sendable, Equatable {
    /// The node's disk: a plain directory under the pod's volumes directory.
    case disk
    /// A tmpfs: counted against memory, gone with the pod or a reboot.
    case memory

    /// Kubernetes' `StorageMedium` value: "" is the default (disk), "Memory" a tmpfs.
    /// HugePages media are not supported and give nil.
    package init?(storageMedium: String) {
        switch storageMedium {
        case "": self = .disk
        case "Memory": self = .memory
        default: return nil
        }
    }
}

/// An emptyDir volume, set up as the kubelet sets it up.
package enum EmptyDirVolume {
    /// Creates (or re-adopts) the emptyDir at `path`, typically
    /// `PodVolumeLayout.path(.emptyDir, name:)`. Missing parents are created.
    ///
    /// - disk: the directory, mode 0777 exactly (the kubelet chmods past its umask
    ///   so any container user can write).
    /// - memory: that directory with a tmpfs mounted on it, `size=` the size limit.
    ///   Without a (positive) limit no `size=` is passed and the kernel's default
    ///   applies, half of the node's RAM; the kubelet would use the pod's memory
    ///   limit or the node's allocatable memory instead, which the runtime does not
    ///   know. Either way the pages are charged to the pod's memory cgroup as they
    ///   are written, so the pod's memory limit still bounds it.
    ///
    /// Idempotent: a tmpfs already mounted there (a daemon restart re-adopting a
    /// running pod) is kept with its contents.
    package static func setUp(at path: String, medium: EmptyDirMedium, sizeLimitBytes: Int64? = nil) async throws {
        try await Blocking.run { try setUpNow(at: path, medium: medium, sizeLimitBytes: sizeLimitBytes) }
    }

    static func setUpNow(at path: String, medium: EmptyDirMedium, sizeLimitBytes: Int64?) throws {
        try VolumeTree.makeParents(parent(of: path))
        var info = stat()
        let exists = lstat(path, &info) == 0
        let mounted = exists ? try VolumeMounts.fileSystemType(at: path) : nil
        switch medium {
        case .disk:
            if let mounted { throw VolumeError.unexpectedMount(path: path, fileSystemType: mounted, expected: "a directory") }
            try VolumeTree.makeDirectory(path, mode: 0o777)
        case .memory:
            if mounted == "tmpfs" { return }
            if let mounted { throw VolumeError.unexpectedMount(path: path, fileSystemType: mounted, expected: "tmpfs") }
            try VolumeTree.makeDirectory(path, mode: 0o777)
            var options: [String] = []
            if let sizeLimitBytes, sizeLimitBytes > 0 { options.append("size=\(sizeLimitBytes)") }
            try VolumeMounts.mountTmpfs(at: path, options: options)
        }
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
