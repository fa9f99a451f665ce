/// How the cgroup hierarchies are mounted on this host.
///
/// Hosts differ: systemd's modern default is one cgroup2 hierarchy (`unified`),
/// older ones mount one v1 hierarchy per controller plus an empty cgroup2 for
/// systemd's own tracking (`hybrid`), and some have v1 only (`legacy`). The
/// runtime enforces limits through v1 on the latter two, and through v2 only
/// when v2 is the whole story.
package enum CgroupLayout: Sendable, Equatable {
    case unified(mount: CgroupMount)
    /// v1 controllers (controller name → mount) plus a cgroup2 that holds no
    /// controllers we rely on.
    case hybrid(v1: [String: CgroupMount], unified: CgroupMount)
    case legacy(v1: [String: CgroupMount])

    /// The v1 controllers this runtime knows about; other super options of a
    /// cgroup mount (`rw`, `name=systemd`, `clone_children`, …) are not controllers.
    static let knownV1Controllers: Set<String> = [
        "blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "hugetlb",
        "memory", "misc", "net_cls", "net_prio", "perf_event", "pids", "rdma",
    ]

    /// Reads `/proc/self/mountinfo` of the calling process's mount namespace.
    package static func detect() throws -> CgroupLayout {
        let path = "/proc/self/mountinfo"
        let text = try CgroupFS.read(path)
        guard let layout = parse(mountinfo: text) else {
            throw RuntimeError("cgroup layout: no cgroup or cgroup2 mount in \(path)")
        }
        return layout
    }

    /// Classifies the cgroup mounts listed in a mountinfo text; nil when there are none.
    ///
    /// When one mount point appears twice the later line wins (it covers the
    /// earlier). When a hierarchy is mounted at several places the earliest
    /// mount is used: that is the one the init system set up, later ones are
    /// usually someone's scratch mounts.
    package static func parse(mountinfo: String) -> CgroupLayout? {
        let entries = mountinfo.split(separator: "\n").compactMap(MountInfoEntry.init(line:))
        var lastIndexForMountPoint: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            lastIndexForMountPoint[entry.mountPoint] = index
        }
        var unified: CgroupMount?
        var v1: [String: CgroupMount] = [:]
        for (index, entry) in entries.enumerated() where lastIndexForMountPoint[entry.mountPoint] == index {
            let mount = CgroupMount(mountPoint: entry.mountPoint, root: entry.root)
            switch entry.fileSystemType {
            case "cgroup2":
                if unified == nil { unified = mount }
            case "cgroup":
                for option in entry.superOptions where knownV1Controllers.contains(option) {
                    if v1[option] == nil { v1[option] = mount }
                }
            default:
                continue
            }
        }
        switch (unified, v1.isEmpty) {
        case (let unified?, true): return .unified(mount: unified)
        case (let unified?, false): return .hybrid(v1: v1, unified: unified)
        case (nil, false): return .legacy(v1: v1)
        case (nil, true): return nil
        }
    }
}
