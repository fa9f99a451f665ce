import Testing
@testable import NodeRuntime

/// Pure parsing of /proc/self/mountinfo and /proc/self/cgroup, and how the
/// driver turns them into its subtree roots. No kernel involved.
struct CgroupLayoutParsingTests {
    static let pureV2 = """
        22 28 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
        26 22 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
        28 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
        """

    /// This machine: v1 per controller under a tmpfs, plus an empty cgroup2.
    static let hybrid = """
        23 1 0:22 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
        37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
        38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """

    /// v1 only, as inside an old Docker container: co-mounted cpu,cpuacct and
    /// mounts that show only the container's own subtree.
    static let legacy = """
        600 580 0:60 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,mode=755
        601 600 0:29 /docker/abc /sys/fs/cgroup/systemd ro,nosuid,nodev,noexec,relatime master:11 - cgroup cgroup rw,xattr,name=systemd
        602 600 0:33 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro,nosuid,nodev,noexec,relatime master:16 - cgroup cgroup rw,cpu,cpuacct
        603 600 0:34 /docker/abc /sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime master:17 - cgroup cgroup rw,memory
        604 600 0:35 /docker/abc /sys/fs/cgroup/pids ro,nosuid,nodev,noexec,relatime master:18 - cgroup cgroup rw,pids
        605 600 0:36 /docker/abc /sys/fs/cgroup/net_cls,net_prio ro,nosuid,nodev,noexec,relatime master:19 - cgroup cgroup rw,net_cls,net_prio
        """

    /// cgroup2 only, at an unusual place with a space in it, showing a
    /// subtree; a later scratch mount of the same hierarchy must not win.
    static let unusualV2 = """
        1 0 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
        90 1 0:40 /services/agent /srv/my\\040cgroups rw,nosuid,nodev,noexec,relatime shared:30 master:2 - cgroup2 none rw,nsdelegate
        91 1 0:40 / /tmp/scratch rw,relatime - cgroup2 none rw
        """

    @Test func parsesPureV2() {
        #expect(CgroupLayout.parse(mountinfo: Self.pureV2) == .unified(mount: CgroupMount(mountPoint: "/sys/fs/cgroup", root: "/")))
    }

    @Test func parsesHybrid() throws {
        guard case .hybrid(let v1, let unified) = CgroupLayout.parse(mountinfo: Self.hybrid) else {
            Issue.record("expected hybrid")
            return
        }
        #expect(unified == CgroupMount(mountPoint: "/sys/fs/cgroup/unified"))
        #expect(Set(v1.keys) == ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids"])
        #expect(v1["memory"] == CgroupMount(mountPoint: "/sys/fs/cgroup/memory"))
        #expect(v1["name=systemd"] == nil)
    }

    @Test func parsesLegacy() {
        guard case .legacy(let v1) = CgroupLayout.parse(mountinfo: Self.legacy) else {
            Issue.record("expected legacy")
            return
        }
        let cpu = CgroupMount(mountPoint: "/sys/fs/cgroup/cpu,cpuacct", root: "/docker/abc")
        #expect(v1["cpu"] == cpu)
        #expect(v1["cpuacct"] == cpu)
        #expect(v1["memory"]?.mountPoint == "/sys/fs/cgroup/memory")
        #expect(v1["net_prio"]?.mountPoint == "/sys/fs/cgroup/net_cls,net_prio")
        #expect(v1["freezer"] == nil)
    }

    @Test func parsesV2AtUnusualPlace() {
        #expect(CgroupLayout.parse(mountinfo: Self.unusualV2)
            == .unified(mount: CgroupMount(mountPoint: "/srv/my cgroups", root: "/services/agent")))
    }

    @Test func laterMountOnSamePointWins() {
        let text = Self.pureV2 + "\n" + "50 26 0:50 / /sys/fs/cgroup rw - tmpfs tmpfs rw"
        #expect(CgroupLayout.parse(mountinfo: text) == nil)
    }

    @Test func noCgroupMountsOrGarbage() {
        #expect(CgroupLayout.parse(mountinfo: "") == nil)
        #expect(CgroupLayout.parse(mountinfo: "garbage\n1 2 3\n- - -") == nil)
        #expect(CgroupLayout.parse(mountinfo: "28 1 8:1 / / rw - ext4 /dev/sda1 rw") == nil)
    }

    @Test func unescapesOctal() {
        #expect(MountInfoEntry.unescape(#"/a\040b\011c\134d\012"#) == "/a b\tc\\d\n")
        #expect(MountInfoEntry.unescape(#"/a\04"#) == #"/a\04"#)
        #expect(MountInfoEntry.unescape(#"/a\999"#) == #"/a\999"#)
    }

    @Test func parsesMembership() {
        let membership = CgroupMembership.parse("""
            9:name=systemd:/
            4:memory:/process_api/605e
            2:cpu,cpuacct:/a:b
            0::/user.slice/x
            junk
            """)
        #expect(membership.unified == "/user.slice/x")
        #expect(membership.legacy["memory"] == "/process_api/605e")
        #expect(membership.legacy["cpu"] == "/a:b")
        #expect(membership.legacy["cpuacct"] == "/a:b")
        #expect(membership.legacy["name=systemd"] == "/")
    }

    @Test func mapsCgroupPathsThroughMounts() {
        let whole = CgroupMount(mountPoint: "/sys/fs/cgroup")
        #expect(whole.directory(forCgroupPath: "/") == "/sys/fs/cgroup")
        #expect(whole.directory(forCgroupPath: "/a/b") == "/sys/fs/cgroup/a/b")
        let sub = CgroupMount(mountPoint: "/sys/fs/cgroup/memory", root: "/docker/abc")
        #expect(sub.directory(forCgroupPath: "/docker/abc") == "/sys/fs/cgroup/memory")
        #expect(sub.directory(forCgroupPath: "/docker/abc/x") == "/sys/fs/cgroup/memory/x")
        #expect(sub.directory(forCgroupPath: "/docker/abcd") == nil)
        #expect(sub.directory(forCgroupPath: "/other") == nil)
        #expect(whole.directory(forCgroupPath: "/../sibling") == nil)
    }

    @Test func driverBaseOnHybridUsesV1AndOwnCgroup() throws {
        let layout = try #require(CgroupLayout.parse(mountinfo: Self.hybrid))
        let membership = CgroupMembership.parse("4:memory:/process_api/605e\n1:cpu:/\n0::/")
        let own = try CgroupDriver(layout: layout, membership: membership)
        guard case .legacy(let bases) = own.base else {
            Issue.record("expected v1 base")
            return
        }
        #expect(bases["memory"] == "/sys/fs/cgroup/memory/process_api/605e")
        #expect(bases["cpu"] == "/sys/fs/cgroup/cpu")
        #expect(bases["pids"] == "/sys/fs/cgroup/pids")
        #expect(bases["blkio"] == nil)
        #expect(Set(bases.keys) == Set(CgroupDriver.legacyControllers))

        let top = try CgroupDriver(layout: layout, membership: membership, placement: .hierarchyRoot)
        #expect(top.base == .legacy(Dictionary(uniqueKeysWithValues: CgroupDriver.legacyControllers.map {
            ($0, "/sys/fs/cgroup/\($0)")
        })))
    }

    @Test func driverBaseOnLegacyContainerAndUnusualV2() throws {
        let legacy = try #require(CgroupLayout.parse(mountinfo: Self.legacy))
        let inside = CgroupMembership.parse("3:memory:/docker/abc\n2:cpu,cpuacct:/docker/abc/sub\n1:pids:/elsewhere")
        let driver = try CgroupDriver(layout: legacy, membership: inside)
        #expect(driver.base == .legacy([
            "cpu": "/sys/fs/cgroup/cpu,cpuacct/sub",
            "cpuacct": "/sys/fs/cgroup/cpu,cpuacct/sub",
            "memory": "/sys/fs/cgroup/memory",
            "pids": "/sys/fs/cgroup/pids",
        ]))

        let v2 = try #require(CgroupLayout.parse(mountinfo: Self.unusualV2))
        let member = CgroupMembership.parse("0::/services/agent/runtime")
        #expect(try CgroupDriver(layout: v2, membership: member).base == .unified("/srv/my cgroups/runtime"))
    }

    @Test func coMountedControllersShareOneProcsFile() {
        let cgroup = LegacyCgroup(bases: [
            "cpu": "/cg/cpu,cpuacct", "cpuacct": "/cg/cpu,cpuacct", "memory": "/cg/memory",
        ], components: ["skiff", "pod", "c"])
        #expect(cgroup.procsFiles == [
            "/cg/cpu,cpuacct/skiff/pod/c/cgroup.procs", "/cg/memory/skiff/pod/c/cgroup.procs",
        ])
        #expect(cgroup.directories["cpuacct"] == "/cg/cpu,cpuacct/skiff/pod/c")
    }

    @Test func rejectsPathsThatLeaveTheSubtree() {
        let driver = CgroupDriver(base: .unified("/nonexistent-cgroup-root"))
        for bad in ["", "/abs", "a//b", "../x", "a/./b", "a/", "a/.."] {
            #expect(throws: RuntimeError.self) { try driver.create(bad, limits: .unlimited) }
            #expect(driver.open(bad) == nil)
        }
    }
}
