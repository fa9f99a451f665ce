import Foundation
import Testing
@testable import NodeRuntime

/// The v2 driver against a plain directory populated with fake cgroup files,
/// to check the exact strings written without needing v2 controllers.
struct CgroupUnifiedFixtureTests {
    /// root → skiff-test → c1, each with cgroup.controllers / cgroup.subtree_control,
    /// the leaf with empty limit files.
    private func makeTree(leafControllers: String = "cpu memory pids", swapFile: Bool = true,
                          rootSubtree: String = "") throws -> String {
        let root = try CgroupTestSupport.makeTemporaryDirectory()
        let middle = root + "/skiff-test"
        let leaf = middle + "/c1"
        try CgroupTestSupport.writeFixture("cpuset cpu io memory hugetlb pids rdma misc\n", root + "/cgroup.controllers")
        try CgroupTestSupport.writeFixture(rootSubtree, root + "/cgroup.subtree_control")
        try CgroupTestSupport.writeFixture("cpu memory pids\n", middle + "/cgroup.controllers")
        try CgroupTestSupport.writeFixture("", middle + "/cgroup.subtree_control")
        try CgroupTestSupport.writeFixture(leafControllers + "\n", leaf + "/cgroup.controllers")
        try CgroupTestSupport.writeFixture("", leaf + "/cgroup.subtree_control")
        var files = ["cpu.max", "cpu.weight", "memory.max", "pids.max"]
        if swapFile { files.append("memory.swap.max") }
        for file in files { try CgroupTestSupport.writeFixture("", leaf + "/" + file) }
        return root
    }

    @Test func writesExactLimitValuesAndEnablesControllers() throws {
        let root = try makeTree()
        defer { CgroupTestSupport.removeTree(root) }
        let driver = CgroupDriver(base: .unified(root))
        let limits = ResourceLimits(cpuQuotaMicros: 25_000, cpuPeriodMicros: 50_000, cpuShares: 1024,
                                    memoryLimitBytes: 128 << 20, memorySwapLimitBytes: 192 << 20, pidsLimit: 100)
        let cgroup = try driver.create("skiff-test/c1", limits: limits)
        let leaf = root + "/skiff-test/c1"
        #expect(cgroup.unifiedPath == leaf)
        #expect(cgroup.procsFiles.isEmpty)
        #expect(try CgroupTestSupport.readFixture(root + "/cgroup.subtree_control") == "+cpu +memory +pids")
        #expect(try CgroupTestSupport.readFixture(root + "/skiff-test/cgroup.subtree_control") == "+cpu +memory +pids")
        #expect(try CgroupTestSupport.readFixture(leaf + "/cgroup.subtree_control") == "")
        #expect(try CgroupTestSupport.readFixture(leaf + "/cpu.max") == "25000 50000")
        #expect(try CgroupTestSupport.readFixture(leaf + "/cpu.weight") == "39")
        #expect(try CgroupTestSupport.readFixture(leaf + "/memory.max") == "134217728")
        #expect(try CgroupTestSupport.readFixture(leaf + "/memory.swap.max") == "67108864")
        #expect(try CgroupTestSupport.readFixture(leaf + "/pids.max") == "100")

        try cgroup.update(.unlimited)
        #expect(try CgroupTestSupport.readFixture(leaf + "/cpu.max") == "max 100000")
        #expect(try CgroupTestSupport.readFixture(leaf + "/cpu.weight") == "100")
        #expect(try CgroupTestSupport.readFixture(leaf + "/memory.max") == "max")
        #expect(try CgroupTestSupport.readFixture(leaf + "/memory.swap.max") == "max")
        #expect(try CgroupTestSupport.readFixture(leaf + "/pids.max") == "max")
        #expect(driver.open("skiff-test/c1") == cgroup)
        #expect(driver.open("skiff-test/c2") == nil)
    }

    @Test func leavesAlreadyEnabledControllersAlone() throws {
        let root = try makeTree(rootSubtree: "cpu memory pids\n")
        defer { CgroupTestSupport.removeTree(root) }
        _ = try CgroupDriver(base: .unified(root)).create("skiff-test/c1", limits: .unlimited)
        #expect(try CgroupTestSupport.readFixture(root + "/cgroup.subtree_control") == "cpu memory pids\n")
    }

    @Test func missingControllerIsAnErrorOnlyForARequestedLimit() throws {
        let root = try makeTree(leafControllers: "cpu memory")
        defer { CgroupTestSupport.removeTree(root) }
        let driver = CgroupDriver(base: .unified(root))
        let leaf = root + "/skiff-test/c1"
        _ = try driver.create("skiff-test/c1", limits: ResourceLimits(memoryLimitBytes: 1 << 30))
        #expect(try CgroupTestSupport.readFixture(leaf + "/pids.max") == "")
        let error = #expect(throws: RuntimeError.self) {
            try driver.create("skiff-test/c1", limits: ResourceLimits(pidsLimit: 5))
        }
        #expect(error?.message.hasPrefix("pidsLimit: 5 needs the pids controller") == true)
    }

    @Test func missingSwapFileAllowsOnlyNoSwapOrUnlimited() throws {
        let root = try makeTree(swapFile: false)
        defer { CgroupTestSupport.removeTree(root) }
        let driver = CgroupDriver(base: .unified(root))
        _ = try driver.create("skiff-test/c1", limits: .fromKubernetes(memoryLimitBytes: 64 << 20))
        _ = try driver.create("skiff-test/c1", limits: ResourceLimits(memoryLimitBytes: 64 << 20))
        let error = #expect(throws: RuntimeError.self) {
            try driver.create("skiff-test/c1", limits: ResourceLimits(memoryLimitBytes: 64 << 20, memorySwapLimitBytes: 96 << 20))
        }
        #expect(error?.message.contains("memory.swap.max does not exist") == true)
        #expect(!FileManager.default.fileExists(atPath: root + "/skiff-test/c1/memory.swap.max"))
    }
}
