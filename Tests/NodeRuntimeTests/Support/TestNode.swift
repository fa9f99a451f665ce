import Foundation
import Glibc
import Testing
@testable import NodeRuntime

/// A runtime over temporary data/state dirs and its own cgroup subtree,
/// with the busybox and notepad images imported. `tearDown()` removes every
/// sandbox, then checks and deletes what is left.
struct TestNode {
    let base: String
    let config: RuntimeConfig
    let runtime: RuntimeService

    /// The node's own network namespace when the node has a pod network.
    let nodeNetns: TestNetns?

    /// `podSubnetPrefix` gives the node a pod network (bridge, IPAM, veths)
    /// inside a network namespace made for this test.
    init(podSubnetPrefix: Int? = nil) throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-node-\(UUID().uuidString.prefix(8))").path
        var network: PodNetwork.Config?
        if let podSubnetPrefix {
            let netns = try TestNetns()
            nodeNetns = netns
            network = PodNetwork.Config(
                network: try NetworkConfig(
                    clusterCIDR: "10.244.0.0/16", nodeSubnetPrefixLength: podSubnetPrefix, serviceCIDR: "10.245.0.0/16"),
                nodeNetnsPath: netns.path, ipamDirectory: "\(base)/data/ipam")
        } else {
            nodeNetns = nil
        }
        config = RuntimeConfig(
            dataDir: "\(base)/data", stateDir: "\(base)/run", cgroupParent: "skiff-test-\(UUID().uuidString.prefix(8))",
            network: network)
        do {
            runtime = try RuntimeService(config: config)
        } catch {
            nodeNetns?.remove()
            throw error
        }
        for archive in try TestImages.archives() {
            _ = try runtime.images.importArchive(path: archive)
        }
    }

    /// Removes every sandbox and the directories; returns leftovers found
    /// (mounts or cgroups naming this node) so tests can assert none.
    func tearDown() async -> [String] {
        for sandbox in await runtime.listPodSandboxes() {
            try? await runtime.removePodSandbox(sandbox.id)
        }
        await runtime.shutdown()
        let leftovers = Leftovers.find(containing: [base, config.cgroupParent])
        nodeNetns?.remove()
        try? FileManager.default.removeItem(atPath: base)
        return leftovers
    }

    /// A ready sandbox with a unique uid.
    func sandbox(name: String = "pod", hostname: String? = nil) async throws -> String {
        try await runtime.runPodSandbox(PodSandboxConfig(name: name, uid: UUID().uuidString.lowercased(), hostname: hostname))
    }

    /// Polls until the container leaves CONTAINER_RUNNING (bounded).
    func waitExited(_ id: String, timeout: Duration = .seconds(20)) async throws -> ContainerRecord {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let record = try await runtime.containerStatus(id)
            if record.state == .exited { return record }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("container \(id) still running after \(timeout)")
    }

    func log(_ id: String) async throws -> String {
        let record = try await runtime.containerStatus(id)
        return (try? String(contentsOfFile: record.logPath, encoding: .utf8)) ?? ""
    }
}

/// Mounts and cgroup directories that mention a test's unique names.
enum Leftovers {
    static func find(containing needles: [String]) -> [String] {
        var found: [String] = []
        // String(contentsOfFile:) stops after 4 KiB of a /proc file.
        let mountinfo = (try? CgroupFS.read("/proc/self/mountinfo")) ?? ""
        for line in mountinfo.split(separator: "\n") where needles.contains(where: { line.contains($0) }) {
            found.append("mount: \(line)")
        }
        for controller in ["cpu", "memory", "pids", "freezer", "devices", "cpuset", "cpuacct", "unified"] {
            let dir = "/sys/fs/cgroup/\(controller)"
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            where needles.contains(where: { entry.contains($0) }) {
                found.append("cgroup: \(dir)/\(entry)")
            }
        }
        return found
    }
}

/// The demo images, built once per build tree by scripts/build-demo-images.
enum TestImages {
    static func archives() throws -> [String] {
        try built.get()
    }

    private static let built: Result<[String], Error> = Result {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let out = root.appendingPathComponent(".build/skiff-fixtures/images").path
        let names = ["busybox.tar", "notepad-latest.tar", "notepad-new.tar"]
        if !names.allSatisfy({ FileManager.default.fileExists(atPath: "\(out)/\($0)") }) {
            let result = try Shell.run("/bin/bash", [root.appendingPathComponent("scripts/build-demo-images").path, out])
            guard result.status == 0 else { throw TestFailure("build-demo-images failed: \(result.stderr)") }
        }
        return names.map { "\(out)/\($0)" }
    }
}
