extension CgroupDriver {
    /// Where on the host the runtime's subtree is rooted.
    package enum Placement: Sendable, Equatable {
        /// Below the cgroup the runtime itself runs in (from /proc/self/cgroup),
        /// so containers stay inside whatever a supervisor (systemd unit,
        /// enclosing container, sandbox) limits the runtime to. On v2 that
        /// cgroup must be delegated and hold no processes itself.
        case ownCgroup
        /// At the top of each visible hierarchy, like kubelet's cgroupfs driver
        /// (`/sys/fs/cgroup/<controller>/kubepods`).
        case hierarchyRoot
    }

    /// The driver for this host: layout from /proc/self/mountinfo, the
    /// runtime's own cgroup from /proc/self/cgroup.
    package static func system(placement: Placement = .ownCgroup,
                               devices: DevicePolicy = .standardContainer) throws -> CgroupDriver {
        try CgroupDriver(layout: CgroupLayout.detect(), membership: CgroupMembership.current(),
                         placement: placement, devices: devices)
    }

    /// Resolves the subtree root for a layout. Hybrid hosts use their v1
    /// hierarchies: their cgroup2 carries no cpu/memory/pids controllers.
    package init(layout: CgroupLayout, membership: CgroupMembership,
                 placement: Placement = .ownCgroup, devices: DevicePolicy = .standardContainer) throws {
        func directory(_ mount: CgroupMount, _ cgroupPath: String?) -> String {
            guard placement == .ownCgroup, let cgroupPath else { return mount.mountPoint }
            // A cgroup outside what the mount shows has no directory here; the
            // mount point is then the deepest place we can reach.
            return mount.directory(forCgroupPath: cgroupPath) ?? mount.mountPoint
        }
        switch layout {
        case .unified(let mount):
            self.init(base: .unified(directory(mount, membership.unified)), devices: devices)
        case .hybrid(let v1, _), .legacy(let v1):
            var bases: [String: String] = [:]
            for controller in Self.legacyControllers {
                guard let mount = v1[controller] else { continue }
                bases[controller] = directory(mount, membership.legacy[controller])
            }
            guard !bases.isEmpty else {
                throw RuntimeError("cgroup layout: none of the v1 controllers \(Self.legacyControllers) is mounted")
            }
            self.init(base: .legacy(bases), devices: devices)
        }
    }
}
