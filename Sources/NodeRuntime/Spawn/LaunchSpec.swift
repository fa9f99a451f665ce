import CShims

/// One mount inside a container, with a container-absolute target.
package struct MountSpec: Equatable, Sendable {
    package var source: String
    package var target: String
    package var type: String?
    package var flags: MountFlags
    package var data: String?
    /// Create the target as a file (binding a file such as /etc/hosts).
    package var targetIsFile: Bool
    /// When the mount fails (sysfs without owning the netns), bind `source` read-only instead.
    package var fallbackToBind: Bool

    package init(
        source: String, target: String, type: String? = nil, flags: MountFlags = [],
        data: String? = nil, targetIsFile: Bool = false, fallbackToBind: Bool = false
    ) {
        self.source = source
        self.target = target
        self.type = type
        self.flags = flags
        self.data = data
        self.targetIsFile = targetIsFile
        self.fallbackToBind = fallbackToBind
    }

    /// A bind mount of a host path; `readOnly` remounts it read-only.
    package static func bind(_ source: String, at target: String, readOnly: Bool = false, isFile: Bool = false) -> MountSpec {
        MountSpec(
            source: source, target: target,
            flags: readOnly ? [.bind, .recursive, .readOnly] : [.bind, .recursive],
            targetIsFile: isFile)
    }
}

/// The root filesystem of a new container.
package enum RootfsSpec: Equatable, Sendable {
    /// A prepared directory (an OCI bundle's rootfs), bind-mounted onto itself.
    case directory(path: String)
    /// overlayfs of read-only image layers (top-most first) with a private
    /// upper/work dir, mounted at `mountPoint` inside the child's own mount
    /// namespace, so it disappears with the container and never shows on the host.
    case overlay(lowerDirs: [String], upperDir: String, workDir: String, mountPoint: String)

    package var mountPoint: String {
        switch self {
        case .directory(let path): path
        case .overlay(_, _, _, let mountPoint): mountPoint
        }
    }
}

/// A resource limit applied with setrlimit(2) before exec.
package struct RLimitSpec: Equatable, Sendable {
    package var resource: Int32
    package var soft: UInt64
    package var hard: UInt64
    package init(resource: Int32, soft: UInt64, hard: UInt64) {
        self.resource = resource
        self.soft = soft
        self.hard = hard
    }
}

/// A compiled seccomp program the child installs right before exec.
/// Compiled once per profile in the parent: the child may not allocate.
package protocol CompiledSeccompFilter: AnyObject, Sendable {
    var program: UnsafePointer<sock_fprog> { get }
}

/// Where the cgroup placement of a new process comes from.
package struct CgroupPlacement: Equatable, Sendable {
    /// cgroup v2 directory: the child is cloned straight into it (CLONE_INTO_CGROUP).
    package var unifiedPath: String?
    /// cgroup.procs files (v1 controllers) the child writes itself into before exec.
    package var procsFiles: [String]

    package init(unifiedPath: String? = nil, procsFiles: [String] = []) {
        self.unifiedPath = unifiedPath
        self.procsFiles = procsFiles
    }
}

/// Everything needed to start one process in a container: the plain-data
/// description handed to the C launcher.
package struct LaunchSpec: Sendable {
    package var args: [String]
    package var env: [String]
    package var workingDir: String?
    package var uid: UInt32 = 0
    package var gid: UInt32 = 0
    package var additionalGids: [UInt32] = []
    /// fds for stdin, stdout, stderr; nil means /dev/null.
    package var stdio: [Int32?] = [nil, nil, nil]
    /// stdin is a pty slave that becomes the controlling terminal.
    package var terminal = false

    package var namespaces: [NamespaceKind: NamespaceMode] = [:]
    /// Join this pid namespace (exec into a running container).
    package var joinPidNamespace: String?
    package var hostname: String?
    package var cgroup = CgroupPlacement()

    /// nil keeps the caller's root (exec into an existing mount namespace).
    package var rootfs: RootfsSpec?
    package var rootfsReadOnly = false
    package var rootfsPropagationSlave = false
    package var mounts: [MountSpec] = []
    package var createDefaultDevices = true
    package var maskedPaths: [String] = []
    package var readOnlyPaths: [String] = []

    package var capabilities = CapabilityMasks.none
    package var noNewPrivileges = true
    package var seccomp: (any CompiledSeccompFilter)?
    package var rlimits: [RLimitSpec] = []
    package var oomScoreAdj: Int32?

    /// Park the child before exec until a byte arrives on this fd (create/start split).
    package var gateFD: Int32?

    /// Have the child note when it reached its namespaces, its root filesystem
    /// and exec (`LaunchedProcess.childMarks`), for a start's breakdown.
    package var recordChildMarks = false

    package init(args: [String], env: [String]) {
        self.args = args
        self.env = env
    }
}

/// The five capability sets of a process as 64-bit masks.
package struct CapabilityMasks: Equatable, Sendable {
    package var bounding: UInt64
    package var effective: UInt64
    package var permitted: UInt64
    package var inheritable: UInt64
    package var ambient: UInt64

    package init(bounding: UInt64, effective: UInt64, permitted: UInt64, inheritable: UInt64, ambient: UInt64) {
        self.bounding = bounding
        self.effective = effective
        self.permitted = permitted
        self.inheritable = inheritable
        self.ambient = ambient
    }

    /// The same mask in bounding, effective and permitted; nothing inheritable
    /// or ambient — what container engines give a root process.
    package init(uniform mask: UInt64) {
        self.init(bounding: mask, effective: mask, permitted: mask, inheritable: 0, ambient: 0)
    }

    package static let none = CapabilityMasks(uniform: 0)
}
