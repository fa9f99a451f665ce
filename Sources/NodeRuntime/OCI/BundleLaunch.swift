import Foundation

/// Turns an OCI runtime spec into the launcher's plain-data description.
package struct BundleLaunch {
    package var spec: RuntimeSpec
    package var bundle: String
    package var file: String { (bundle as NSString).appendingPathComponent("config.json") }

    package init(spec: RuntimeSpec, bundle: String) {
        self.spec = spec
        self.bundle = bundle
    }

    /// Absolute path of root.path (relative paths are relative to the bundle).
    package var rootfsPath: String {
        let path = spec.root?.path ?? "rootfs"
        return path.hasPrefix("/") ? path : (bundle as NSString).appendingPathComponent(path)
    }

    package func launchSpec(unifiedCgroups: Bool, seccompCache: SeccompProfileCache) throws -> LaunchSpec {
        guard let process = spec.process, let args = process.args, !args.isEmpty else {
            throw RuntimeError("\(file): process.args: must name the program to run")
        }
        if process.terminal == true {
            throw RuntimeError(
                "\(file): process.terminal: true needs a console socket, which skiff runtime does not support; set it to false")
        }
        var launch = LaunchSpec(args: args, env: process.env ?? [])
        launch.workingDir = process.cwd ?? "/"
        launch.uid = process.user?.uid ?? 0
        launch.gid = process.user?.gid ?? 0
        launch.additionalGids = process.user?.additionalGids ?? []
        launch.noNewPrivileges = process.noNewPrivileges ?? false
        launch.oomScoreAdj = process.oomScoreAdj
        launch.rlimits = try (process.rlimits ?? []).enumerated().map { index, limit in
            guard let resource = RLimitName.resource(limit.type) else {
                throw RuntimeError("\(file): process.rlimits[\(index)].type: unknown rlimit \"\(limit.type)\"")
            }
            return RLimitSpec(resource: resource, soft: limit.soft, hard: limit.hard)
        }

        for (index, namespace) in (spec.linux?.namespaces ?? []).enumerated() {
            guard let kind = NamespaceKind(ociName: namespace.type) else {
                throw RuntimeError(
                    "\(file): linux.namespaces[\(index)].type: unknown namespace type \"\(namespace.type)\"")
            }
            if let path = namespace.path, !path.isEmpty {
                if kind == .pid {
                    launch.joinPidNamespace = path
                } else {
                    launch.namespaces[kind] = .join(path: path)
                }
            } else {
                launch.namespaces[kind] = .new
            }
        }
        if launch.namespaces[.mount] != .new {
            throw RuntimeError("\(file): linux.namespaces: a new mount namespace is required")
        }
        if launch.namespaces[.uts] == .new { launch.hostname = spec.hostname }

        let rootfs = rootfsPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rootfs, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RuntimeError("\(file): root.path: \"\(rootfs)\" does not exist or is not a directory")
        }
        launch.rootfs = .directory(path: rootfs)
        launch.rootfsReadOnly = spec.root?.readonly ?? false
        launch.rootfsPropagationSlave = spec.linux?.rootfsPropagation?.hasSuffix("slave") ?? false
        let ownsNetwork = launch.namespaces[.network] == .new
        launch.mounts = try (spec.mounts ?? []).enumerated().compactMap { index, mount in
            try mountSpec(mount, index: index, unifiedCgroups: unifiedCgroups, ownsNetwork: ownsNetwork)
        }
        launch.maskedPaths = spec.linux?.maskedPaths ?? []
        launch.readOnlyPaths = spec.linux?.readonlyPaths ?? []

        let capabilities = process.capabilities
        func set(_ names: [String]?, _ field: String) throws -> UInt64 {
            do {
                return try CapabilitySet(names: names ?? []).rawValue
            } catch {
                throw RuntimeError("\(file): process.capabilities.\(field): \(error.message)")
            }
        }
        launch.capabilities = CapabilityMasks(
            bounding: try set(capabilities?.bounding, "bounding"),
            effective: try set(capabilities?.effective, "effective"),
            permitted: try set(capabilities?.permitted, "permitted"),
            inheritable: try set(capabilities?.inheritable, "inheritable"),
            ambient: try set(capabilities?.ambient, "ambient"))
        if let seccomp = spec.linux?.seccomp {
            let filter: SeccompFilterSpec
            do {
                filter = try SeccompFilterSpec(oci: seccomp)
            } catch {
                throw RuntimeError("\(file): linux.seccomp: \(error.message)")
            }
            launch.seccomp = try seccompCache.profile(
                for: .custom(filter), capabilities: CapabilitySet(rawValue: launch.capabilities.effective))
        }
        return launch
    }

    /// cgroup limits from linux.resources.
    package var resourceLimits: ResourceLimits {
        let resources = spec.linux?.resources
        var limits = ResourceLimits()
        if let cpu = resources?.cpu {
            limits.cpuShares = cpu.shares
            if let quota = cpu.quota, quota > 0 { limits.cpuQuotaMicros = quota }
            if let period = cpu.period { limits.cpuPeriodMicros = period }
        }
        if let memory = resources?.memory {
            limits.memoryLimitBytes = memory.limit.flatMap { $0 > 0 ? $0 : nil }
            limits.memorySwapLimitBytes = memory.swap.flatMap { $0 > 0 ? $0 : nil }
        }
        if let pids = resources?.pids, pids.limit > 0 { limits.pidsLimit = pids.limit }
        return limits
    }

    private func mountSpec(
        _ mount: RuntimeSpec.Mount, index: Int, unifiedCgroups: Bool, ownsNetwork: Bool
    ) throws -> MountSpec? {
        let (flags, data) = MountFlags.parse(options: mount.options ?? [])
        let type = mount.type ?? (flags.contains(.bind) ? "bind" : nil)
        if type == "cgroup" || type == "cgroup2" {
            // Only a cgroup2 view can be given safely; v1 hierarchies are not mounted (as crun on hybrid hosts).
            guard unifiedCgroups else { return nil }
            return MountSpec(source: "cgroup", target: mount.destination, type: "cgroup2", flags: flags.union(.readOnly))
        }
        if type == "bind" || flags.contains(.bind) {
            guard var source = mount.source, !source.isEmpty else {
                throw RuntimeError("\(file): mounts[\(index)].source: a bind mount needs a source")
            }
            if !source.hasPrefix("/") { source = (bundle as NSString).appendingPathComponent(source) }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
                throw RuntimeError("\(file): mounts[\(index)].source: \"\(source)\" does not exist")
            }
            return MountSpec(
                source: source, target: mount.destination, flags: flags.union(.bind),
                targetIsFile: !isDirectory.boolValue)
        }
        guard let type else {
            throw RuntimeError("\(file): mounts[\(index)].type: missing for \"\(mount.destination)\"")
        }
        // Without its own netns the container may not mount sysfs; the launcher
        // then binds the host's /sys read-only, so the source must be that path.
        let sysfsFallback = type == "sysfs" && !ownsNetwork
        return MountSpec(
            source: sysfsFallback ? "/sys" : (mount.source ?? type), target: mount.destination, type: type,
            flags: flags, data: data.isEmpty ? nil : data.joined(separator: ","), fallbackToBind: sysfsFallback)
    }
}
