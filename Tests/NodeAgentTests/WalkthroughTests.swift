import Foundation
import Testing

/// The seed's walkthrough as the user runs it: `scripts/demo-walkthrough`
/// starts its own `skiffd server` in its own network namespace and checks
/// every step (3 pods, ClusterIP and NodePort, scale, a rollout with zero
/// failed requests, undo, probes, the secret, a Job, a DaemonSet, a
/// StatefulSet, and nothing left after `delete -f`). Once with `skiff`, once
/// with the real kubectl.
@Suite(.serialized) struct WalkthroughTests {
    // Two tests rather than one with arguments: the cases of a parameterized
    // test run in parallel, and two nodes of 100 pods on two cores at once
    // measure the machine, not Skiff.
    @Test func theWalkthroughRunsWithKubectl() async throws {
        try await runWalkthrough(ctl: "kubectl")
    }

    @Test func theWalkthroughRunsWithSkiff() async throws {
        try await runWalkthrough(ctl: "skiff")
    }

    private func runWalkthrough(ctl: String) async throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let images = try #require(try AgentTestImages.archives().first).components(separatedBy: "/").dropLast().joined(separator: "/")
        let replicas = ProcessInfo.processInfo.environment["SKIFF_WALKTHROUGH_REPLICAS"] ?? "100"
        let result = try await AgentShell.run(
            "/bin/bash",
            [repository.appendingPathComponent("scripts/demo-walkthrough").path, "--ctl", ctl, "--replicas", replicas, "--images", images],
            environment: ["SKIFFD": AgentBinaries.skiffd, "SKIFF": AgentBinaries.skiff],
            timeout: .seconds(900))
        #expect(result.status == 0, "\(result.stdout.suffix(6000))\n\(result.stderr.suffix(6000))")
        #expect(result.stdout.contains("== walkthrough passed with \(ctl)"))
        // The script removed its node: no namespace, cgroup or directory of its own remains.
        let namespaces = try await AgentShell.run("/usr/sbin/ip", ["netns", "list"])
        #expect(!namespaces.stdout.contains("skiff-demo-"))
        // In the v2 root and in every v1 controller hierarchy.
        let roots = ["/sys/fs/cgroup"] + ((try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? [])
            .map { "/sys/fs/cgroup/\($0)" }
        let cgroups = roots.flatMap { root in
            ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).map { "\(root)/\($0)" }
        }
        #expect(!cgroups.contains { $0.contains("/skiff-demo-") }, "\(cgroups.filter { $0.contains("/skiff-demo-") })")
        let temporary = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        #expect(!temporary.contains { $0.hasPrefix("skiff-demo-") })
        // Nor a process (the client loop, a container) still naming them.
        let stray = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { pid in
            guard Int(pid) != nil, let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: cmdline, as: UTF8.self).contains("/tmp/skiff-demo-")
        }
        #expect(stray.isEmpty, "processes left running: \(stray)")
    }

    /// The walkthrough's copies of the seed's manifests are the seed's, byte
    /// for byte (when the seed is on this machine).
    @Test func theSeedManifestsAreUnchanged() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let seed = repository.deletingLastPathComponent().appendingPathComponent("shared/seed/manifests")
        for name in ["deployment.yaml", "service.yaml"] {
            let ours = try Data(contentsOf: repository.appendingPathComponent("examples/walkthrough/\(name)"))
            guard let theirs = try? Data(contentsOf: seed.appendingPathComponent(name)) else { continue }
            #expect(ours == theirs, "examples/walkthrough/\(name) differs from the seed's")
        }
    }
}
