import Foundation
import Glibc
import Testing
@testable import NodeRuntime

/// cgroup2 behaviour on a private mount of this host's cgroup2 hierarchy. On
/// a hybrid host it has no controllers, so this covers directories,
/// cgroup.procs, cgroup.kill, the freezer and removal, not limits.
extension CgroupTests {
    @Test(.enabled(if: Support.isRoot))
    func unifiedCreateKillRemove() throws {
        let mount = try Support.mountCgroup2()
        defer { Support.unmount(mount) }
        let driver = CgroupDriver(base: .unified(mount))
        let name = Support.uniqueName()
        defer { Support.removeLeftovers(driver, name) }
        let cgroup = try driver.create(name + "/c1", limits: .unlimited)
        #expect(cgroup.unifiedPath == mount + "/" + name + "/c1")
        #expect(cgroup.procsFiles.isEmpty)
        #expect(driver.open(name + "/c1") == cgroup)

        let sleeper = try Support.Child("/bin/sleep", ["30"])
        defer { sleeper.stop() }
        try cgroup.attach(pid: sleeper.pid)
        #expect(try cgroup.pids() == [sleeper.pid])
        #expect(try cgroup.stats().cpuUsageNanos != nil)

        try cgroup.kill()
        _ = sleeper.finish()
        #expect(sleeper.wasKilled)
        #expect(try cgroup.pids().isEmpty)
        try cgroup.remove()
        #expect(Support.isGone(driver, name))
    }

    @Test(.enabled(if: Support.isRoot))
    func unifiedKillByFreezing() throws {
        let mount = try Support.mountCgroup2()
        defer { Support.unmount(mount) }
        let driver = CgroupDriver(base: .unified(mount))
        let name = Support.uniqueName()
        defer { Support.removeLeftovers(driver, name) }
        let cgroup = try driver.create(name + "/c1", limits: .unlimited)
        guard case .unified(let backend) = cgroup.backend else {
            Issue.record("expected a v2 cgroup")
            return
        }
        let sleepers = try (0..<3).map { _ in try Support.Child("/bin/sleep", ["30"]) }
        defer { sleepers.forEach { $0.stop() } }
        for sleeper in sleepers { try cgroup.attach(pid: sleeper.pid) }
        #expect(try cgroup.pids().count == 3)

        try backend.killByFreezing()
        for sleeper in sleepers {
            _ = sleeper.finish()
            #expect(sleeper.wasKilled)
        }
        #expect(try Support.value(backend.directory + "/cgroup.freeze") == "0")
        try cgroup.remove()
        #expect(Support.isGone(driver, name))
    }

    @Test(.enabled(if: Support.isRoot))
    func unifiedLimitWithoutControllerLeavesNothingBehind() throws {
        let mount = try Support.mountCgroup2()
        defer { Support.unmount(mount) }
        let driver = CgroupDriver(base: .unified(mount))
        let name = Support.uniqueName()
        defer { Support.removeLeftovers(driver, name) }
        let available = try Support.value(mount + "/cgroup.controllers").split(separator: " ")
        try #require(!available.contains("pids"), "this host's cgroup2 has pids; the test expects a hybrid host")
        let error = #expect(throws: RuntimeError.self) {
            try driver.create(name + "/c1", limits: ResourceLimits(pidsLimit: 5))
        }
        #expect(error?.message.hasPrefix("pidsLimit: 5 needs the pids controller") == true)
        #expect(Support.isGone(driver, name))
    }
}
