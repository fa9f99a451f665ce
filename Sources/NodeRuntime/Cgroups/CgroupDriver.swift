/// Creates and finds the runtime's cgroups below its subtree root.
///
/// The root is explicit (`Base`) so tests can point the driver at a temporary
/// cgroup2 mount or a fixture tree; `system()` derives it from the host.
package struct CgroupDriver: Sendable, Equatable {
    /// The directories relative paths are resolved against.
    package enum Base: Sendable, Equatable {
        /// A cgroup2 directory; limits go through v2.
        case unified(String)
        /// v1 controller → directory in that controller's hierarchy (controllers
        /// sharing a hierarchy map to the same directory).
        case legacy([String: String])
    }

    /// The v1 controllers the driver places cgroups in. blkio, net_* and the
    /// `name=systemd` hierarchy are left alone.
    package static let legacyControllers = ["cpu", "cpuacct", "cpuset", "devices", "freezer", "memory", "pids"]

    package var base: Base
    /// Device access for new v1 cgroups (not enforceable through cgroup v2 files).
    package var devices: DevicePolicy

    package init(base: Base, devices: DevicePolicy = .standardContainer) {
        switch base {
        case .unified(let directory): self.base = .unified(Self.trimmingTrailingSlashes(directory))
        case .legacy(let bases): self.base = .legacy(bases.mapValues(Self.trimmingTrailingSlashes))
        }
        self.devices = devices
    }

    /// "/sys/fs/cgroup/" → "/sys/fs/cgroup", so parent walks compare paths reliably.
    private static func trimmingTrailingSlashes(_ path: String) -> String {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        return String(path)
    }

    /// Creates `relativePath` (e.g. "skiff/<pod>/<container>") and any missing
    /// parents, applies `limits`, and returns the handle. An existing cgroup is
    /// reused and its limits replaced. If anything fails, the directories this
    /// call created are removed again before the error is thrown.
    package func create(_ relativePath: String, limits: ResourceLimits) throws -> Cgroup {
        let components = try CgroupPath.components(relativePath)
        switch base {
        case .unified(let root):
            let cgroup = try UnifiedCgroup.create(base: root, components: components, limits: limits)
            return Cgroup(relativePath: relativePath, backend: .unified(cgroup))
        case .legacy(let bases):
            let cgroup = try LegacyCgroup.create(bases: bases, components: components, limits: limits, devices: devices)
            return Cgroup(relativePath: relativePath, backend: .legacy(cgroup))
        }
    }

    /// The handle for an existing cgroup (re-discovery after a restart), or nil
    /// when it exists in no hierarchy or the path is invalid.
    package func open(_ relativePath: String) -> Cgroup? {
        guard let components = try? CgroupPath.components(relativePath) else { return nil }
        switch base {
        case .unified(let root):
            return UnifiedCgroup.open(base: root, components: components)
                .map { Cgroup(relativePath: relativePath, backend: .unified($0)) }
        case .legacy(let bases):
            return LegacyCgroup.open(bases: bases, components: components)
                .map { Cgroup(relativePath: relativePath, backend: .legacy($0)) }
        }
    }
}
