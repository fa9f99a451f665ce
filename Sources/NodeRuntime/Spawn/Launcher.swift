import CShims
import Glibc

/// A process started by the launcher: its pid (in our pid namespace) and a
/// pidfd, which stays valid even if the pid is reused.
package struct LaunchedProcess: Sendable {
    package var pid: Int32
    package var pidfd: Int32
    /// With `LaunchSpec.recordChildMarks`: CLOCK_REALTIME nanoseconds at which
    /// the child was in its cgroups and namespaces, had its root filesystem,
    /// and was about to exec.
    package var childMarks: ChildMarks?

    package struct ChildMarks: Sendable {
        package var joined: UInt64
        package var rootfs: UInt64
        package var exec: UInt64
    }
}

/// Starts container processes through `skiff_spawn`. Opening every file the
/// child needs happens here, in the parent, so the child only makes syscalls
/// on ready-made data.
package enum Launcher {
    /// Clones and starts the process; blocks until it has exec'd (or parked at
    /// its gate). Call off the cooperative pool: it waits on the child's setup.
    package static func launch(_ spec: LaunchSpec) throws -> LaunchedProcess {
        guard !spec.args.isEmpty else { throw RuntimeError("process.args: must not be empty") }
        let arena = CArena()
        var openedFDs: [Int32] = []
        defer { for fd in openedFDs { close(fd) } }

        func openFile(_ path: String, _ flags: Int32, step: String) throws -> Int32 {
            let fd = open(path, flags | O_CLOEXEC)
            if fd < 0 { throw SystemError.current("\(step) \(path)") }
            openedFDs.append(fd)
            return fd
        }

        var config = skiff_spawn_config()
        config.argv = arena.stringArray(spec.args)
        config.envp = arena.stringArray(spec.env)
        config.cwd = arena.optionalString(spec.workingDir)
        config.uid = spec.uid
        config.gid = spec.gid
        config.groups = arena.array(spec.additionalGids)
        config.ngroups = spec.additionalGids.count
        config.stdio = (spec.stdio[0] ?? -1, spec.stdio[1] ?? -1, spec.stdio[2] ?? -1)
        config.tty = spec.terminal ? 1 : 0

        // Namespaces: new ones at clone, joined ones in a fixed order with mount last
        // (after setns(mnt) the host paths of the other nsfs files are gone).
        var newFlags: UInt = 0
        var joins: [skiff_ns_join] = []
        let joinOrder: [NamespaceKind] = [.cgroup, .ipc, .uts, .network, .mount]
        for kind in NamespaceKind.allCases {
            if case .new = spec.namespaces[kind] { newFlags |= kind.cloneFlag }
        }
        for kind in joinOrder {
            if case .join(let path) = spec.namespaces[kind] {
                let fd = try openFile(path, O_RDONLY, step: "open \(kind.procName) namespace")
                joins.append(skiff_ns_join(fd: fd, type: Int32(kind.cloneFlag)))
            }
        }
        if case .join = spec.namespaces[.pid] {
            throw RuntimeError("namespaces: joining a pid namespace is done with joinPidNamespace")
        }
        if case .join = spec.namespaces[.user] {
            throw RuntimeError("namespaces: user namespaces are not supported yet")
        }
        config.new_namespaces = newFlags
        config.joins = arena.array(joins)
        config.njoins = joins.count
        config.pidns_fd = -1
        if let pidns = spec.joinPidNamespace {
            config.pidns_fd = try openFile(pidns, O_RDONLY, step: "open pid namespace")
        }
        config.hostname = arena.optionalString(spec.hostname)

        config.cgroup_fd = -1
        if let unified = spec.cgroup.unifiedPath {
            config.cgroup_fd = try openFile(unified, O_RDONLY | O_DIRECTORY, step: "open cgroup")
        }
        let procs = try spec.cgroup.procsFiles.map { try openFile($0, O_WRONLY, step: "open") }
        config.procs_fds = arena.array(procs)
        config.nprocs = procs.count

        if let rootfs = spec.rootfs {
            config.rootfs = arena.string(rootfs.mountPoint)
            if case .overlay(let lowers, let upper, let work, _) = rootfs {
                config.overlay_data = arena.string(
                    "lowerdir=\(lowers.joined(separator: ":")),upperdir=\(upper),workdir=\(work)")
            }
            config.rootfs_propagation = spec.rootfsPropagationSlave ? MountFlags.slave.rawValue : MountFlags.private.rawValue
            config.rootfs_readonly = spec.rootfsReadOnly ? 1 : 0
            let mounts = spec.mounts.map { mount in
                skiff_mount(
                    source: arena.string(mount.source), target: arena.string(mount.target),
                    fstype: arena.optionalString(mount.type), flags: mount.flags.rawValue,
                    data: arena.optionalString(mount.data),
                    readonly: mount.flags.contains(.readOnly) ? 1 : 0,
                    target_is_file: mount.targetIsFile ? 1 : 0,
                    optional: mount.fallbackToBind ? 1 : 0)
            }
            config.mounts = arena.array(mounts)
            config.nmounts = mounts.count
            config.default_devices = spec.createDefaultDevices ? 1 : 0
            config.masked_paths = spec.maskedPaths.isEmpty ? nil : arena.stringArray(spec.maskedPaths)
            config.nmasked = spec.maskedPaths.count
            config.readonly_paths = spec.readOnlyPaths.isEmpty ? nil : arena.stringArray(spec.readOnlyPaths)
            config.nreadonly = spec.readOnlyPaths.count
        }

        config.cap_bounding = spec.capabilities.bounding
        config.cap_effective = spec.capabilities.effective
        config.cap_permitted = spec.capabilities.permitted
        config.cap_inheritable = spec.capabilities.inheritable
        // The kernel refuses ambient capabilities outside permitted ∩ inheritable;
        // runc and crun skip those too rather than failing the start.
        config.cap_ambient = spec.capabilities.ambient & spec.capabilities.permitted & spec.capabilities.inheritable
        config.last_cap = Self.lastCapability
        config.no_new_privs = spec.noNewPrivileges ? 1 : 0
        config.seccomp = spec.seccomp?.program
        let rlimits = spec.rlimits.map { skiff_rlimit(resource: $0.resource, soft: $0.soft, hard: $0.hard) }
        config.rlimits = arena.array(rlimits)
        config.nrlimits = rlimits.count
        if let adj = spec.oomScoreAdj {
            config.set_oom_score_adj = 1
            config.oom_score_adj = adj
        }
        config.gate_fd = spec.gateFD ?? -1

        // Shared with the child whichever way it is cloned (a clone3 child gets
        // a copy of our memory, not our memory).
        var marks: UnsafeMutableRawPointer?
        if spec.recordChildMarks {
            let page = mmap(nil, 64, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)
            if let page, page != MAP_FAILED {
                marks = page
                config.marks = page.bindMemory(to: UInt64.self, capacity: 3)
            }
        }
        defer { if let marks { munmap(marks, 64) } }

        var pid: pid_t = 0
        var pidfd: Int32 = -1
        var error = skiff_spawn_error()
        let rc = withExtendedLifetime(spec.seccomp) {
            skiff_spawn(&config, &pid, &pidfd, &error)
        }
        if rc != 0 { throw SpawnError(error) }
        var launched = LaunchedProcess(pid: pid, pidfd: pidfd)
        if let values = config.marks, spec.gateFD == nil {
            launched.childMarks = .init(joined: values[0], rootfs: values[1], exec: values[2])
        }
        return launched
    }

    /// The highest capability number this kernel knows (libcap's view, shared
    /// with CapabilitySet so both agree on which bits exist).
    package static var lastCapability: Int32 { Int32(CapabilitySet.lastSupported) }
}
