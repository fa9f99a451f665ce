import Glibc

/// Combines a container's config, its image and its sandbox into the
/// launcher's description: the same rules kubelet + containerd apply
/// (command/args over Entrypoint/Cmd, env over image env, default hardening).
package struct ContainerLaunchBuilder: Sendable {
    package var config: ContainerConfig
    package var image: ImageRecord
    package var lowerDirs: [String]
    package var sandbox: PodSandboxRecord
    package var unifiedCgroups: Bool
    /// hostNetwork pods join the node's netns when the node runs in one of its own.
    package var nodeNetnsPath: String? = nil

    /// The process to run: Kubernetes' rules for command/args over the image's Entrypoint/Cmd.
    package func processArgs() throws -> [String] {
        let entrypoint = config.command ?? image.config.entrypoint
        // A `command` without `args` drops the image's Cmd.
        let cmd = config.args ?? (config.command == nil ? image.config.cmd : [])
        let args = entrypoint + cmd
        guard !args.isEmpty else {
            throw RuntimeError(
                "container \"\(config.name)\": no command: the image \(config.image) has no Entrypoint or Cmd and the container sets no command")
        }
        return args
    }

    package func environment() -> [String] {
        var env = image.config.env
        if !env.contains(where: { $0.hasPrefix("PATH=") }) { env.insert(ContainerDefaults.defaultPath, at: 0) }
        env = ExecTarget.merge(env, ["HOSTNAME=\(sandbox.config.hostname)"] + config.env)
        if config.tty { env = ExecTarget.merge(env, ["TERM=xterm"]) }
        return env
    }

    package func capabilities() throws -> CapabilitySet {
        if config.security.privileged { return .allSupported }
        var base = CapabilitySet.containerDefault
        // cgroup v2 restricts devices only through an eBPF program, which the
        // runtime does not load yet; without it CAP_MKNOD would let a container
        // create and open the node's block devices. v1 hosts get the devices
        // controller's allowlist instead.
        if unifiedCgroups { base.remove(.mknod) }
        return try base.applying(add: config.security.capabilitiesAdd, drop: config.security.capabilitiesDrop)
    }

    package func launchRecord() throws -> ContainerLaunchRecord {
        // runAsUser replaces the image's User; its primary group then comes
        // from the image's /etc/passwd (0 when the uid has no entry), as containerd does.
        let user = try ImageUser.resolve(
            config.security.runAsUser.map { String($0) } ?? image.config.user, lowerDirs: lowerDirs)
        let uid = user.uid
        let gid = config.security.runAsGroup ?? user.gid
        let workingDir = config.workingDir ?? (image.config.workingDir.isEmpty ? "/" : image.config.workingDir)
        guard workingDir.hasPrefix("/") else {
            throw RuntimeError("container \"\(config.name)\": workingDir \"\(workingDir)\" must be an absolute path")
        }
        return ContainerLaunchRecord(
            args: try processArgs(), env: environment(), workingDir: workingDir, uid: uid, gid: gid,
            additionalGids: user.additionalGids + config.security.supplementalGroups,
            capabilities: try capabilities().rawValue,
            noNewPrivileges: !config.security.allowPrivilegeEscalation && !config.security.privileged,
            seccomp: !config.security.seccompUnconfined && !config.security.privileged)
    }

    /// The full launch spec for the container's first process.
    package func launchSpec(
        record: ContainerLaunchRecord, rootfs: RootfsSpec, podFiles: [MountSpec], seccomp: (any CompiledSeccompFilter)?
    ) throws -> LaunchSpec {
        var spec = LaunchSpec(args: record.args, env: record.env)
        spec.workingDir = record.workingDir
        spec.uid = record.uid
        spec.gid = record.gid
        spec.additionalGids = record.additionalGids
        spec.terminal = false
        spec.namespaces[.pid] = .new
        spec.namespaces[.mount] = .new
        spec.namespaces[.cgroup] = .new
        spec.namespaces[.uts] = .join(path: sandbox.utsPath)
        if let ipc = sandbox.ipcPath { spec.namespaces[.ipc] = .join(path: ipc) }
        if let net = sandbox.netnsPath ?? nodeNetnsPath { spec.namespaces[.network] = .join(path: net) }
        spec.rootfs = rootfs
        spec.rootfsReadOnly = config.security.readOnlyRootFilesystem
        spec.mounts = ContainerDefaults.mounts(unifiedCgroup: unifiedCgroups).map { mount in
            var mount = mount
            // hostNetwork pods may not mount sysfs: fall back to the node's, read-only.
            if mount.type == "sysfs" { mount.fallbackToBind = sandbox.netnsPath == nil }
            return mount
        }
        spec.mounts += podFiles
        for mount in config.mounts {
            guard mount.containerPath.hasPrefix("/") else {
                throw RuntimeError(
                    "container \"\(config.name)\": mountPath \"\(mount.containerPath)\" must be an absolute path")
            }
            var isDirectory = false
            guard FileKind.exists(mount.hostPath, isDirectory: &isDirectory) else {
                throw RuntimeError("container \"\(config.name)\": volume source \"\(mount.hostPath)\" does not exist")
            }
            spec.mounts.append(
                .bind(mount.hostPath, at: mount.containerPath, readOnly: mount.readOnly, isFile: !isDirectory))
        }
        if !config.security.privileged {
            spec.maskedPaths = ContainerDefaults.maskedPaths
            spec.readOnlyPaths = ContainerDefaults.readOnlyPaths
        }
        spec.capabilities = CapabilityMasks(uniform: record.capabilities)
        spec.noNewPrivileges = record.noNewPrivileges
        spec.seccomp = seccomp
        return spec
    }
}

/// stat(2)-based existence check without Foundation's ObjCBool dance.
enum FileKind {
    static func exists(_ path: String, isDirectory: inout Bool) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
        return true
    }
}
