/// What every container gets unless its spec says otherwise: the mounts,
/// masked and read-only paths runc's default spec (and so containerd and
/// CRI-O) apply, so software behaves as it does under other runtimes.
package enum ContainerDefaults {
    /// /proc, a minimal /dev, /sys read-only. sysfs can only be mounted by a
    /// process owning its network namespace; otherwise (hostNetwork) the
    /// host's /sys is bound read-only instead. `unifiedCgroup` adds a cgroup2
    /// view; on v1/hybrid hosts the container gets none, as with crun.
    package static func mounts(unifiedCgroup: Bool) -> [MountSpec] {
        var mounts: [MountSpec] = [
            MountSpec(source: "proc", target: "/proc", type: "proc", flags: [.noSuid, .noExec, .noDev]),
            MountSpec(
                source: "tmpfs", target: "/dev", type: "tmpfs", flags: [.noSuid, .strictAtime],
                data: "mode=755,size=65536k"),
            MountSpec(
                source: "devpts", target: "/dev/pts", type: "devpts", flags: [.noSuid, .noExec],
                data: "newinstance,ptmxmode=0666,mode=0620,gid=5"),
            MountSpec(
                source: "shm", target: "/dev/shm", type: "tmpfs", flags: [.noSuid, .noExec, .noDev],
                data: "mode=1777,size=65536k"),
            MountSpec(source: "mqueue", target: "/dev/mqueue", type: "mqueue", flags: [.noSuid, .noExec, .noDev]),
            MountSpec(
                source: "/sys", target: "/sys", type: "sysfs", flags: [.noSuid, .noExec, .noDev, .readOnly],
                fallbackToBind: true),
        ]
        if unifiedCgroup {
            // Inside its cgroup namespace the container sees only its own subtree.
            mounts.append(
                MountSpec(
                    source: "cgroup", target: "/sys/fs/cgroup", type: "cgroup2",
                    flags: [.noSuid, .noExec, .noDev, .relAtime, .readOnly]))
        }
        return mounts
    }

    /// Paths that leak host information or allow host changes; covered with
    /// /dev/null (files) or an empty read-only tmpfs (directories).
    package static let maskedPaths = [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
        "/sys/firmware", "/sys/devices/virtual/powercap",
    ]

    package static let readOnlyPaths = [
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    ]

    package static let defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
}
