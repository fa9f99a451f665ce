import Foundation
import Glibc
import Testing
@testable import NodeRuntime

/// Kernel-backed tests: real cgroups on this host (v1 hierarchies on a
/// hybrid/legacy host) and a private cgroup2 mount. Serialized because they
/// spawn processes and count them.
@Suite(.serialized)
struct CgroupTests {
    typealias Support = CgroupTestSupport

    /// A driver for the host, rooted in our own cgroup.
    private func hostDriver() throws -> CgroupDriver {
        try CgroupDriver.system()
    }

    private func legacyDirectory(_ driver: CgroupDriver, _ controller: String, _ relative: String) throws -> String {
        guard case .legacy(let bases) = driver.base else { throw RuntimeError("not a v1 driver") }
        let base = try #require(bases[controller])
        return base + "/" + relative
    }

    @Test func detectsThisHost() throws {
        let layout = try CgroupLayout.detect()
        let text = try CgroupFS.read("/proc/self/mountinfo")
        #expect(CgroupLayout.parse(mountinfo: text) == layout)
    }

    @Test(.enabled(if: Support.canUseLegacyCgroups))
    func createsWithLimitsAndKillsAndRemoves() throws {
        let driver = try hostDriver()
        let name = Support.uniqueName()
        defer { Support.removeLeftovers(driver, name) }
        let path = name + "/c1"
        let limits = ResourceLimits(cpuQuotaMicros: 50_000, cpuPeriodMicros: 100_000, cpuShares: 512,
                                    memoryLimitBytes: 64 << 20, memorySwapLimitBytes: 64 << 20, pidsLimit: 20)
        let cgroup = try driver.create(path, limits: limits)

        #expect(cgroup.unifiedPath == nil)
        #expect(try Support.value(legacyDirectory(driver, "cpu", path) + "/cpu.cfs_quota_us") == "50000")
        #expect(try Support.value(legacyDirectory(driver, "cpu", path) + "/cpu.cfs_period_us") == "100000")
        #expect(try Support.value(legacyDirectory(driver, "cpu", path) + "/cpu.shares") == "512")
        let memory = try legacyDirectory(driver, "memory", path)
        #expect(try Support.value(memory + "/memory.limit_in_bytes") == "\(64 << 20)")
        if FileManager.default.fileExists(atPath: memory + "/memory.memsw.limit_in_bytes") {
            #expect(try Support.value(memory + "/memory.memsw.limit_in_bytes") == "\(64 << 20)")
        }
        #expect(try Support.value(legacyDirectory(driver, "pids", path) + "/pids.max") == "20")
        let devices = try Support.value(legacyDirectory(driver, "devices", path) + "/devices.list")
        #expect(devices.split(separator: "\n").map(String.init).sorted() == DeviceRule.standardContainer.map(\.description).sorted())
        #expect(try !Support.value(legacyDirectory(driver, "cpuset", path) + "/cpuset.cpus").isEmpty)
        #expect(try !Support.value(legacyDirectory(driver, "cpuset", path) + "/cpuset.mems").isEmpty)
        #expect(Set(cgroup.procsFiles).count == cgroup.directories.count)
        #expect(driver.open(path) == cgroup)

        let sleeper = try Support.Child("/bin/sleep", ["30"])
        defer { sleeper.stop() }
        try cgroup.attach(pid: sleeper.pid)
        #expect(try cgroup.pids() == [sleeper.pid])
        let stats = try cgroup.stats()
        #expect(stats.pidsCurrent == 1)
        #expect(stats.memoryUsageBytes != nil)
        #expect(stats.cpuUsageNanos != nil)

        try cgroup.kill()
        _ = sleeper.finish()
        #expect(sleeper.wasKilled)
        #expect(try cgroup.pids().isEmpty)
        #expect(try Support.value(legacyDirectory(driver, "freezer", path) + "/freezer.state") == "THAWED")

        try cgroup.remove()
        #expect(Support.isGone(driver, name))
        #expect(driver.open(path) == nil)
        try cgroup.remove()  // already gone: still fine
    }

    @Test(.enabled(if: Support.canUseLegacyCgroups))
    func removeKillsLeftoversAndChildCgroups() throws {
        let driver = try hostDriver()
        let name = Support.uniqueName()
        defer { Support.removeLeftovers(driver, name) }
        let cgroup = try driver.create(name + "/c1", limits: .unlimited)
        // A cgroup the "container" made for itself, with a process in it.
        let nested = try driver.create(name + "/c1/inner", limits: .unlimited)
        let sleeper = try Support.Child("/bin/sleep", ["30"])
        defer { sleeper.stop() }
        try nested.attach(pid: sleeper.pid)
        #expect(try cgroup.pids() == [sleeper.pid])

        try cgroup.remove()
        _ = sleeper.finish()
        #expect(sleeper.wasKilled)
        #expect(Support.isGone(driver, name))
    }

    @Test(.enabled(if: Support.canUseLegacyCgroups))
    func emptyParentsGoWithTheirLastChild() throws {
        let driver = try hostDriver()
        let name = Support.uniqueName()
        defer { Support.removeLeftovers(driver, name) }
        let first = try driver.create(name + "/pod/c1", limits: .unlimited)
        let second = try driver.create(name + "/pod/c2", limits: .unlimited)
        try first.remove()
        #expect(driver.open(name + "/pod") != nil)
        #expect(driver.open(name + "/pod/c1") == nil)
        try second.remove()
        #expect(Support.isGone(driver, name))
    }

    @Test(.enabled(if: Support.canUseLegacyCgroups))
    func pidsLimitStopsForks() throws {
        let driver = try hostDriver()
        let name = Support.uniqueName()
        defer { Support.removeLeftovers(driver, name) }
        let cgroup = try driver.create(name + "/c1", limits: ResourceLimits(pidsLimit: 5))
        // The shell joins the cgroup itself, then forks sleepers until fork fails.
        let join = cgroup.procsFiles.map { "echo $$ > '\($0)'" }.joined(separator: "; ")
        let script = join + "; i=0; while [ $i -lt 50 ]; do /bin/sleep 30 </dev/null >/dev/null 2>&1 & echo forked; i=$((i+1)); done"
        let shell = try Support.Child("/bin/sh", ["-c", script])
        defer { shell.stop() }
        let (output, errors) = shell.finish()

        let forks = output.split(separator: "\n").count
        #expect(forks == 4, "forked \(forks) times; stderr: \(errors)")
        #expect(shell.exitStatus != nil && shell.exitStatus != 0)
        #expect(errors.lowercased().contains("fork"))
        let events = try Support.value(legacyDirectory(driver, "pids", name + "/c1") + "/pids.events")
        #expect(events.hasPrefix("max ") && events != "max 0")
        #expect(try cgroup.pids().count == 4)

        try cgroup.kill()
        #expect(try cgroup.pids().isEmpty)
        try cgroup.remove()
        #expect(Support.isGone(driver, name))
    }

    @Test(.enabled(if: Support.canUseLegacyCgroups && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func memoryLimitOOMKills() throws {
        let driver = try hostDriver()
        let name = Support.uniqueName()
        defer { Support.removeLeftovers(driver, name) }
        let cgroup = try driver.create(name + "/c1", limits: .fromKubernetes(memoryLimitBytes: 32 << 20))
        #expect(try cgroup.oomKillCount() == 0)
        let join = cgroup.procsFiles.map { "echo $$ > '\($0)'" }.joined(separator: "; ")
        let script = join + "; exec /usr/bin/python3 -c 'b = bytearray(200 * 1024 * 1024); print(len(b))'"
        let python = try Support.Child("/bin/sh", ["-c", script])
        defer { python.stop() }
        let (output, errors) = python.finish()

        #expect(python.wasKilled, "status \(python.exitStatus.map(String.init) ?? "signal") out \(output) err \(errors)")
        #expect(try cgroup.oomKillCount() >= 1)
        try cgroup.remove()
        #expect(Support.isGone(driver, name))
    }

    @Test(.enabled(if: Support.canUseLegacyCgroups))
    func memoryUpdatesInEitherDirection() throws {
        let driver = try hostDriver()
        let name = Support.uniqueName()
        defer { Support.removeLeftovers(driver, name) }
        let path = name + "/c1"
        let cgroup = try driver.create(path, limits: ResourceLimits(memoryLimitBytes: 64 << 20, memorySwapLimitBytes: 64 << 20))
        let memory = try legacyDirectory(driver, "memory", path)
        let hasSwap = FileManager.default.fileExists(atPath: memory + "/memory.memsw.limit_in_bytes")

        // Raising past the current memsw only works memsw-first; lowering only limit-first.
        for (limit, swap) in [(256 << 20, 512 << 20), (16 << 20, 16 << 20), (128 << 20, 128 << 20)] as [(Int64, Int64)] {
            try cgroup.update(ResourceLimits(memoryLimitBytes: limit, memorySwapLimitBytes: hasSwap ? swap : limit))
            #expect(try Support.value(memory + "/memory.limit_in_bytes") == "\(limit)")
            if hasSwap { #expect(try Support.value(memory + "/memory.memsw.limit_in_bytes") == "\(swap)") }
        }
        try cgroup.update(.unlimited)
        #expect(try Support.value(memory + "/memory.limit_in_bytes") != "\(128 << 20)")
        try cgroup.remove()
    }

    @Test(.enabled(if: Support.canUseLegacyCgroups))
    func rejectedLimitLeavesNothingBehind() throws {
        let driver = try hostDriver()
        let name = Support.uniqueName()
        defer { Support.removeLeftovers(driver, name) }
        let error = #expect(throws: SystemError.self) {
            try driver.create(name + "/pod/c1", limits: ResourceLimits(cpuQuotaMicros: 1000, cpuPeriodMicros: 500))
        }
        #expect(error?.errno == EINVAL)
        #expect(error?.step.hasSuffix("/cpu.cfs_period_us") == true)
        #expect(error?.description.contains("\"500\"") == true, "\(error.map(String.init(describing:)) ?? "")")
        #expect(Support.isGone(driver, name))

        // A requested limit with no way to enforce it is refused before anything is made.
        var noPids = driver
        if case .legacy(var bases) = driver.base {
            bases["pids"] = nil
            noPids.base = .legacy(bases)
        }
        #expect(throws: RuntimeError.self) { try noPids.create(name + "/c1", limits: ResourceLimits(pidsLimit: 3)) }
        #expect(Support.isGone(driver, name))
    }

    @Test(.enabled(if: Support.canUseLegacyCgroups))
    func skippingDeviceRestriction() throws {
        var driver = try hostDriver()
        driver.devices = .unrestricted
        let name = Support.uniqueName()
        defer { Support.removeLeftovers(driver, name) }
        let cgroup = try driver.create(name + "/c1", limits: .unlimited)
        #expect(try Support.value(legacyDirectory(driver, "devices", name + "/c1") + "/devices.list") == "a *:* rwm")
        try cgroup.remove()
    }
}
