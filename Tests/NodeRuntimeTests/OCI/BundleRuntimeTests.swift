import Foundation
import Testing
@testable import NodeRuntime

/// `skiff runtime` driven as a user drives it: the real binary, real bundles.
@Suite struct BundleRuntimeTests {
    @Test func runPropagatesOutputAndExitCode() throws {
        let bundle = try TestBundle(args: ["sh", "-c", "echo hello from $(hostname) as pid $$; exit 7"])
        defer { bundle.remove() }
        let result = try SkiffBinary.run(["runtime", "run", "--root", bundle.stateRoot, "--bundle", bundle.path, "t-run"])
        #expect(result.status == 7, "\(result.stderr)")
        #expect(result.stdout == "hello from bundle as pid 1\n")
        // run deletes the container: no state, no cgroup, no mount left.
        #expect((try? FileManager.default.contentsOfDirectory(atPath: bundle.stateRoot))?.isEmpty ?? true)
        #expect(Leftovers.find(containing: ["t-run", bundle.path]).isEmpty)
    }

    /// run, create, start and delete skip ArgumentParser (RuntimeFastPath); the
    /// forms it takes behave as ArgumentParser's would, and anything else still
    /// gets ArgumentParser's usage errors.
    @Test func perContainerVerbsTakeTheSameForms() throws {
        let bundle = try TestBundle(args: ["sh", "-c", "exit 3"])
        defer { bundle.remove() }
        let short = try SkiffBinary.run(["runtime", "run", "--root=\(bundle.stateRoot)", "-b", bundle.path, "t-forms"])
        #expect(short.status == 3, "\(short.stderr)")
        let inline = try SkiffBinary.run(["runtime", "run", "--bundle=\(bundle.path)", "--root", bundle.stateRoot, "t-forms"])
        #expect(inline.status == 3, "\(inline.stderr)")

        let unknown = try SkiffBinary.run(["runtime", "run", "--root", bundle.stateRoot, "--bogus", "t-forms"])
        #expect(unknown.status == 64, "a usage error, as ArgumentParser exits")
        #expect(unknown.stderr.contains("Unknown option '--bogus'"), "\(unknown.stderr)")
        let noID = try SkiffBinary.run(["runtime", "delete", "--root", bundle.stateRoot])
        #expect(noID.status == 64)
        #expect(noID.stderr.contains("Missing expected argument '<id>'"), "\(noID.stderr)")

        let missing = try SkiffBinary.run(["runtime", "delete", "--root", bundle.stateRoot, "t-nothere"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "Error: container \"t-nothere\" does not exist\n")
        let badBundle = try SkiffBinary.run(["runtime", "run", "--root", bundle.stateRoot, "-b", "/nonexistent", "t-forms"])
        #expect(badBundle.status == 1)
        #expect(badBundle.stderr.contains("/nonexistent/config.json"), "\(badBundle.stderr)")
    }

    @Test func createStartStateKillDelete() throws {
        let bundle = try TestBundle(args: ["sleep", "1000"])
        defer { bundle.remove() }
        let root = ["--root", bundle.stateRoot]
        let id = "t-life-\(UUID().uuidString.prefix(6).lowercased())"
        defer { _ = try? SkiffBinary.run(["runtime", "delete", "--force"] + root + [id]) }
        #expect(try SkiffBinary.run(["runtime", "create"] + root + ["--bundle", bundle.path, id]).status == 0)
        #expect(try state(root, id)["status"] as? String == "created")
        #expect(try SkiffBinary.run(["runtime", "start"] + root + [id]).status == 0)
        let running = try state(root, id)
        #expect(running["status"] as? String == "running")
        let pid = running["pid"] as? Int ?? 0
        #expect(pid > 0)
        // The parked init exec'd the user's process.
        let cmdline = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
        #expect(cmdline.hasPrefix("sleep"))
        #expect(try SkiffBinary.run(["runtime", "kill"] + root + [id, "KILL"]).status == 0)
        var status = ""
        for _ in 0..<100 {
            status = try state(root, id)["status"] as? String ?? ""
            if status == "stopped" { break }
            usleep(20_000)
        }
        #expect(status == "stopped")
        #expect(try SkiffBinary.run(["runtime", "delete"] + root + [id]).status == 0)
        let gone = try SkiffBinary.run(["runtime", "state"] + root + [id])
        #expect(gone.status != 0)
        #expect(gone.stderr.contains("container \"\(id)\" does not exist"))
        #expect(Leftovers.find(containing: [id]).isEmpty)
    }

    @Test func execJoinsARunningBundleContainer() throws {
        let bundle = try TestBundle(args: ["sleep", "1000"])
        defer { bundle.remove() }
        let root = ["--root", bundle.stateRoot]
        let id = "t-exec-\(UUID().uuidString.prefix(6).lowercased())"
        defer { _ = try? SkiffBinary.run(["runtime", "delete", "--force"] + root + [id]) }
        #expect(try SkiffBinary.run(["runtime", "run", "--detach"] + root + ["--bundle", bundle.path, id]).status == 0)
        let result = try SkiffBinary.run(["runtime", "exec"] + root + [id, "--", "sh", "-c", "hostname; cat /proc/1/cmdline; echo; exit 5"])
        #expect(result.status == 5, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("bundle\nsleep"), "\(result.stdout)")
    }

    @Test(arguments: [
        ("{ not json", "invalid JSON"),
        (#"{"ociVersion":"1.0.2","process":{"args":["true"],"cwd":"/"},"root":{"path":"rootfs"},"linux":{"namespaces":[{"type":"pid"},{"type":"mount"},{"type":"teleport"}]}}"#,
         #"linux.namespaces[2].type: unknown namespace type "teleport""#),
        (#"{"ociVersion":"1.0.2","process":{"args":["true"],"cwd":"/"},"root":{"path":"no-such-rootfs"},"linux":{"namespaces":[{"type":"mount"}]}}"#,
         #"root.path: "#),
        (#"{"ociVersion":"1.0.2","process":{"args":"true"},"root":{"path":"rootfs"}}"#, "process.args: expected an array"),
        (#"{"ociVersion":"1.0.2","process":{"args":["true"],"cwd":"/"},"root":{"path":"rootfs"},"linux":{"namespaces":[{"type":"mount"}],"resources":{"cpu":{"period":500,"quota":1000}}}}"#,
         "cpu.cfs_period_us"),
    ])
    func badBundlesFailClearlyAndLeaveNothing(config: String, expected: String) throws {
        let bundle = try TestBundle(args: ["true"])
        defer { bundle.remove() }
        try bundle.writeRawConfig(config)
        let id = "t-bad-\(UUID().uuidString.prefix(6).lowercased())"
        let result = try SkiffBinary.run(["runtime", "run", "--root", bundle.stateRoot, "--bundle", bundle.path, id])
        #expect(result.status != 0)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one-line error expected: \(result.stderr)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: bundle.stateRoot))?.isEmpty ?? true)
        #expect(Leftovers.find(containing: [id]).isEmpty)
    }

    private func state(_ root: [String], _ id: String) throws -> [String: Any] {
        let result = try SkiffBinary.run(["runtime", "state"] + root + [id])
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw TestFailure("state \(id): \(result.stderr)")
        }
        return object
    }
}
