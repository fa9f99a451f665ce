import Foundation
import Glibc
import Testing
@testable import NodeRuntime

/// Pods and containers through the CRI-shaped interface, on the real kernel.
@Suite struct RuntimeServiceTests {
    @Test func containerOutputExitCodeAndCRILog() async throws {
        let node = try TestNode()
        let pod = try await node.sandbox(hostname: "web-0")
        let id = try await node.runtime.createContainer(
            podID: pod,
            config: ContainerConfig(
                name: "hello", image: "busybox",
                command: ["sh", "-c", "echo pid=$$ host=$(hostname); echo oops >&2; exit 3"]))
        try await node.runtime.startContainer(id)
        let record = try await node.waitExited(id)
        #expect(record.exitCode == 3)
        #expect(record.reason == "Error")
        // The pump is stopped after exit; the log must hold both streams in CRI format.
        let log = try await node.log(id)
        let lines = log.split(separator: "\n").map(String.init)
        let pattern = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z (stdout|stderr) (F|P) .*$/#
        #expect(lines.count == 2, "\(log)")
        #expect(lines.allSatisfy { $0.wholeMatch(of: pattern) != nil }, "\(log)")
        #expect(lines.contains { $0.hasSuffix(" stdout F pid=1 host=web-0") }, "\(log)")
        #expect(lines.contains { $0.hasSuffix(" stderr F oops") }, "\(log)")
        let leftovers = await node.tearDown()
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func memoryLimitIsReportedAsOOMKilled() async throws {
        let node = try TestNode()
        let pod = try await node.sandbox()
        let id = try await node.runtime.createContainer(
            podID: pod,
            config: ContainerConfig(
                name: "hog", image: "busybox", // The shell holds 256 MiB of text in a variable (NUL bytes would be dropped, so `yes`).
                command: ["sh", "-c", "yes abcdefghijklmnopqrstuvwxyz | head -c 268435456 | { v=$(cat); sleep 1; }"],
                resources: ResourceLimitsConfig(memoryLimitBytes: 32 << 20)))
        try await node.runtime.startContainer(id)
        let record = try await node.waitExited(id)
        let log = try await node.log(id)
        #expect(record.reason == "OOMKilled", "\(log)")
        #expect(record.exitCode == 137 || record.exitCode == 1, "\(log)")
        let leftovers = await node.tearDown()
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func pidsLimitStopsAForkBomb() async throws {
        let node = try TestNode()
        let pod = try await node.sandbox()
        // Counting with a glob needs no fork, which the exhausted limit would refuse.
        // ash exits when fork fails, so the bomb runs in a subshell; the init survives to count.
        let script = "(while true; do sleep 30 & done) 2>&1 | head -c 0; set -- /proc/[0-9]*; echo procs=$#"
        let id = try await node.runtime.createContainer(
            podID: pod,
            config: ContainerConfig(
                name: "bomb", image: "busybox", command: ["sh", "-c", script],
                resources: ResourceLimitsConfig(pidsLimit: 16)))
        try await node.runtime.startContainer(id)
        _ = try await node.waitExited(id)
        let log = try await node.log(id)
        let count = log.split(separator: "\n").compactMap { line in
            line.split(separator: " ").last.flatMap { $0.hasPrefix("procs=") ? Int($0.dropFirst(6)) : nil }
        }.first
        #expect((count ?? 99) <= 16, "\(log)")
        let leftovers = await node.tearDown()
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func containersOfOnePodShareLocalhostAndExecJoinsTheContainer() async throws {
        let node = try TestNode()
        let pod = try await node.sandbox(hostname: "shared")
        let web = try await node.runtime.createContainer(
            podID: pod, config: ContainerConfig(name: "web", image: "mengsixing/notepad"))
        try await node.runtime.startContainer(web)
        let client = try await node.runtime.createContainer(
            podID: pod,
            config: ContainerConfig(
                name: "client", image: "busybox",
                command: ["sh", "-c", "for i in $(seq 50); do wget -qO- http://127.0.0.1:8083/ && exit 0; sleep 0.1; done; exit 1"]))
        try await node.runtime.startContainer(client)
        let done = try await node.waitExited(client)
        let clientLog = try await node.log(client)
        #expect(done.exitCode == 0, "\(clientLog)")
        #expect(clientLog.contains("notepad version v1"), "\(clientLog)")

        let result = try await node.runtime.execSync(web, command: ["sh", "-c", "hostname; cat /proc/1/cmdline | tr '\\0' ' '; echo; id -u"])
        #expect(result.exitCode == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "shared", "\(result)")
        #expect(lines.count > 1 && lines[1].contains("httpd"), "\(result)")
        // exec runs with the container's hardening: no mounting from inside.
        let mount = try await node.runtime.execSync(web, command: ["mount", "-t", "tmpfs", "x", "/mnt"])
        #expect(mount.exitCode != 0)

        try await node.runtime.stopContainer(web, timeout: .seconds(1))
        let stopped = try await node.runtime.containerStatus(web)
        #expect(stopped.state == .exited)
        let leftovers = await node.tearDown()
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func stopKillsAfterTheGracePeriodAndRemoveLeavesNothing() async throws {
        let node = try TestNode()
        let pod = try await node.sandbox()
        let id = try await node.runtime.createContainer(
            podID: pod, config: ContainerConfig(name: "sleeper", image: "busybox", command: ["sleep", "1000"]))
        try await node.runtime.startContainer(id)
        let started = ContinuousClock.now
        // PID 1 has no SIGTERM handler, so only the SIGKILL after the grace period ends it.
        try await node.runtime.stopContainer(id, timeout: .milliseconds(300))
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        let record = try await node.runtime.containerStatus(id)
        #expect(record.exitCode == 137)
        try await node.runtime.removePodSandbox(pod)
        #expect(!FileManager.default.fileExists(atPath: "\(node.config.containersStateDir)/\(id)"))
        #expect(!FileManager.default.fileExists(atPath: "\(node.config.containersDataDir)/\(id)"))
        #expect(!FileManager.default.fileExists(atPath: record.logPath))
        let leftovers = await node.tearDown()
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func aRestartedRuntimeReadoptsRunningContainers() async throws {
        let node = try TestNode()
        let pod = try await node.sandbox()
        let id = try await node.runtime.createContainer(
            podID: pod,
            config: ContainerConfig(
                name: "ticker", image: "busybox",
                command: ["sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.05; done"]))
        try await node.runtime.startContainer(id)
        try await Task.sleep(for: .milliseconds(200))
        let pid = try await node.runtime.containerStatus(id).process?.pid
        // A sandbox caught half-made by a kill -9: namespaces mounted, no sandbox.json yet.
        let halfMade = try await node.sandbox()
        let halfMadeDir = "\(node.config.podsStateDir)/\(halfMade)"
        try FileManager.default.removeItem(atPath: "\(halfMadeDir)/sandbox.json")
        await node.runtime.shutdown()
        try await Task.sleep(for: .milliseconds(300)) // output accumulates in the FIFO meanwhile

        let second = try RuntimeService(config: node.config)
        let recovered = try await second.recover()
        #expect(recovered.sandboxes == 1 && recovered.running == 1)
        #expect(!FileManager.default.fileExists(atPath: halfMadeDir), "the half-made sandbox is removed")
        #expect(Leftovers.find(containing: [halfMadeDir]).isEmpty, "its namespaces are unmounted")
        let record = try await second.containerStatus(id)
        #expect(record.state == .running && record.process?.pid == pid)
        try await Task.sleep(for: .milliseconds(300))
        try await second.stopContainer(id, timeout: .zero)
        // No tick may be lost across the restart: the numbers in the log are consecutive.
        let log = (try? String(contentsOfFile: record.logPath, encoding: .utf8)) ?? ""
        let ticks = log.split(separator: "\n").compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }
        #expect(ticks.count >= 5, "\(log)")
        #expect(ticks == Array(0..<ticks.count), "\(log)")
        try await second.removePodSandbox(pod)
        await second.shutdown()
        let leftovers = Leftovers.find(containing: [node.base, node.config.cgroupParent])
        try? FileManager.default.removeItem(atPath: node.base)
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func missingImageSaysHowToImportIt() async throws {
        let node = try TestNode()
        let pod = try await node.sandbox()
        await #expect {
            _ = try await node.runtime.createContainer(podID: pod, config: ContainerConfig(name: "x", image: "nginx:1.27"))
        } throws: { error in
            "\(error)" == "image \"nginx:1.27\" is not present on this node; import it with: skiff image import <file>"
        }
        let leftovers = await node.tearDown()
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}
