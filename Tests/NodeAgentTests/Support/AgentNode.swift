import Foundation
import Glibc
import NodeRuntime
import SkiffAPI
import SkiffClient

/// A real `skiffd server` with its node agent, inside a network namespace
/// made for the test, with its own data and state directories and its own
/// cgroup parent, driven over HTTPS, with the real kubectl and with `skiff`.
/// `remove()` deletes every pod through the API, stops the daemon, then
/// removes whatever a failed test left (sandboxes, volumes, netns, files)
/// and reports leftovers.
final class AgentNode: @unchecked Sendable {
    static let nodeName = "agent-test"
    let base: String
    let netns: String
    let cgroupParent: String
    private(set) var process: Process
    private(set) var client: APIClient

    var dataDir: String { "\(base)/data" }
    var stateDir: String { "\(base)/run" }
    var kubeconfig: String { "\(dataDir)/kubeconfig.yaml" }
    var logPath: String { "\(base)/skiffd.log" }
    /// skiffd's start trace (SKIFF_START_TRACE): every node notes its pods' start steps.
    var startTracePath: String { "\(base)/start-trace" }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
    var api: AgentTestAPI { AgentTestAPI(client: client) }

    private init(base: String, netns: String, cgroupParent: String, process: Process, client: APIClient) {
        self.base = base
        self.netns = netns
        self.cgroupParent = cgroupParent
        self.process = process
        self.client = client
    }

    /// Runs `body` against a fresh node and always removes it afterwards.
    static func with(
        images: [String] = ["busybox.tar", "notepad-latest.tar", "notepad-new.tar"], _ body: (AgentNode) async throws -> Void
    ) async throws {
        let node = try await start(images: images)
        do {
            try await body(node)
        } catch {
            let leftovers = await node.remove(keepLog: true)
            throw AgentTestFailure("\(error)\nleftovers: \(leftovers)\nskiffd log tail:\n\(node.log.suffix(3000))")
        }
        let leftovers = await node.remove()
        if !leftovers.isEmpty { throw AgentTestFailure("left behind: \(leftovers)") }
    }

    /// A node whose image inbox holds `images` (file names of the demo archives).
    static func start(images: [String]) async throws -> AgentNode {
        let id = UUID().uuidString.prefix(8).lowercased()
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-agent-\(id)").path
        let netns = "skiff-at-\(id)"
        let cgroupParent = "skiffcg-\(id)"
        try FileManager.default.createDirectory(atPath: "\(base)/data/images", withIntermediateDirectories: true)
        for archive in try AgentTestImages.archives() where images.contains((archive as NSString).lastPathComponent) {
            try FileManager.default.copyItem(atPath: archive, toPath: "\(base)/data/images/\((archive as NSString).lastPathComponent)")
        }
        let made = try await AgentShell.run("/usr/sbin/ip", ["netns", "add", netns])
        guard made.status == 0 else { throw AgentTestFailure("ip netns add: \(made.stderr)") }
        do {
            let (process, client) = try await launch(base: base, netns: netns, cgroupParent: cgroupParent)
            let node = AgentNode(base: base, netns: netns, cgroupParent: cgroupParent, process: process, client: client)
            try await node.waitForNodeReady()
            return node
        } catch {
            _ = try? await AgentShell.run("/usr/sbin/ip", ["netns", "delete", netns])
            try? FileManager.default.removeItem(atPath: base)
            throw error
        }
    }

    private static func launch(base: String, netns: String, cgroupParent: String) async throws -> (Process, APIClient) {
        let kubeconfig = "\(base)/data/kubeconfig.yaml"
        try? FileManager.default.removeItem(atPath: kubeconfig)
        let logPath = "\(base)/skiffd.log"
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: AgentBinaries.skiffd)
        process.arguments = [
            "server", "--data-dir", "\(base)/data", "--state-dir", "\(base)/run", "--node-netns", netns,
            "--cgroup-parent", cgroupParent, "--port", "0", "--bind-address", "127.0.0.1",
            "--node-name", nodeName, "--pod-resync-seconds", "1", "--crash-loop-backoff-seconds", "1",
            "--log-level", ProcessInfo.processInfo.environment["SKIFF_TEST_LOG_LEVEL"] ?? "info",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["SKIFF_START_TRACE"] = "\(base)/start-trace"
        process.environment = environment
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        handle.seekToEndOfFile()
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while !FileManager.default.fileExists(atPath: kubeconfig) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                throw AgentTestFailure("skiffd did not write its kubeconfig: \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let settings = try Kubeconfig.load(path: kubeconfig).resolve(context: nil)
        return (process, try APIClient(settings: settings))
    }

    private func waitForNodeReady() async throws {
        try await eventually("node \(Self.nodeName) Ready", timeout: .seconds(30)) {
            let node = try await api.get("/api/v1/nodes/\(Self.nodeName)")
            return node?["status"]["conditions"].arrayValue?.contains {
                $0["type"].stringValue == "Ready" && $0["status"].stringValue == "True"
            } == true
        }
    }

    /// kill -9 of the daemon (pods keep running).
    func crash() async {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        await waitUntilGone()
        await client.shutdown()
    }

    /// Bounded: Foundation may learn of the exit late (see `ChildProcess`).
    private func waitUntilGone() async {
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning, kill(process.processIdentifier, 0) == 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// A new daemon on the same directories.
    func restart() async throws {
        let (process, client) = try await Self.launch(base: base, netns: netns, cgroupParent: cgroupParent)
        self.process = process
        self.client = client
        try await waitForNodeReady()
    }

    func stop() async {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let asked = ContinuousClock.now
            while process.isRunning, ContinuousClock.now - asked < .seconds(10) {
                try? await Task.sleep(for: .milliseconds(20))
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        await waitUntilGone()
        await client.shutdown()
    }

    /// Deletes every pod (the agent tears them down), stops the daemon, then
    /// removes anything still there. Returns what it had to clean by force.
    func remove(keepLog: Bool = false) async -> [String] {
        var leftovers: [String] = []
        if process.isRunning {
            _ = try? await kubectl(["delete", "pods", "--all", "--all-namespaces", "--wait=true", "--timeout=60s"])
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline, !((try? FileManager.default.contentsOfDirectory(atPath: "\(stateDir)/pods")) ?? []).isEmpty {
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        await stop()
        // Whatever the agent did not remove: recover the runtime's records and remove them.
        if let runtime = try? RuntimeService(config: RuntimeConfig(dataDir: dataDir, stateDir: stateDir, cgroupParent: cgroupParent)) {
            _ = try? await runtime.recover()
            for sandbox in await runtime.listPodSandboxes() {
                leftovers.append("sandbox \(sandbox.config.namespace)/\(sandbox.config.name)")
                try? await runtime.removePodSandbox(sandbox.id)
            }
            await runtime.shutdown()
        }
        let volumes = PodVolumes(root: "\(dataDir)/pods")
        for uid in (try? FileManager.default.contentsOfDirectory(atPath: "\(dataDir)/pods")) ?? [] {
            leftovers.append("pod volumes \(uid)")
            try? await volumes.tearDown(podUID: uid)
        }
        for controller in ["cpu", "memory", "pids", "freezer", "devices", "cpuset", "cpuacct", "unified", "systemd"] {
            rmdir("/sys/fs/cgroup/\(controller)/\(cgroupParent)")
        }
        rmdir("/sys/fs/cgroup/\(cgroupParent)")
        leftovers += AgentLeftovers.find(containing: [base, cgroupParent])
        _ = try? await AgentShell.run("/usr/sbin/ip", ["netns", "delete", netns])
        // After a failure the daemon's log outlives the node, for whoever reads it.
        if keepLog {
            let logs = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-agent-logs").path
            try? FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: "\(logs)/\(netns).log")
            try? FileManager.default.copyItem(atPath: logPath, toPath: "\(logs)/\(netns).log")
        }
        try? FileManager.default.removeItem(atPath: base)
        return leftovers
    }

    // MARK: - Driving it

    func kubectl(_ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(60)) async throws
        -> AgentShell.Result
    {
        try await AgentShell.run(
            "/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", "\(base)/kube-cache"] + arguments,
            stdin: stdin, environment: ["HOME": base], timeout: timeout)
    }

    func skiff(_ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(60)) async throws
        -> AgentShell.Result
    {
        try await AgentShell.run(AgentBinaries.skiff, ["--kubeconfig", kubeconfig] + arguments, stdin: stdin,
                           environment: ["HOME": base], timeout: timeout)
    }

    /// `kubectl apply -f -` of a manifest; throws with kubectl's output when it fails.
    func apply(_ yaml: String) async throws {
        let result = try await kubectl(["apply", "-f", "-"], stdin: yaml)
        guard result.status == 0 else { throw AgentTestFailure("kubectl apply failed: \(result.combined)") }
    }

    /// A command inside the node's network namespace (curl to pod IPs).
    func inNode(_ arguments: [String]) async throws -> AgentShell.Result {
        try await AgentShell.run("/usr/sbin/ip", ["netns", "exec", netns] + arguments)
    }

    func pod(_ name: String, namespace: String = "default") async throws -> JSONValue? {
        try await api.get("/api/v1/namespaces/\(namespace)/pods/\(name)")
    }

    /// Waits until the pod satisfies `check`; fails with the pod's last status.
    @discardableResult
    func waitForPod(
        _ name: String, namespace: String = "default", timeout: Duration = .seconds(60), _ what: String,
        _ check: (JSONValue) -> Bool
    ) async throws -> JSONValue {
        var last: JSONValue = .null
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let pod = try await pod(name, namespace: namespace) {
                last = pod
                if check(pod) { return pod }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw AgentTestFailure("pod \(name) never became \(what); status: \(last["status"].serializedString())")
    }

    func events(for pod: String) async throws -> [JSONValue] {
        let list = try await api.list("/api/v1/namespaces/default/events")
        return list.filter { $0["involvedObject"]["name"].stringValue == pod }
    }
}

/// Polls until `check` is true.
func eventually(_ what: String, timeout: Duration = .seconds(60), _ check: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if (try? await check()) == true { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw AgentTestFailure("timed out waiting for \(what)")
}

/// The API calls the tests make.
struct AgentTestAPI {
    let client: APIClient

    func get(_ path: String) async throws -> JSONValue? {
        let response = try await client.send("GET", path)
        if response.status == 404 { return nil }
        guard response.status < 300 else { throw AgentTestFailure("GET \(path): \(response.status)") }
        return try JSONValue(jsonBytes: response.body)
    }

    func list(_ path: String) async throws -> [JSONValue] {
        try await get(path)?["items"].arrayValue ?? []
    }

    @discardableResult
    func send(_ method: String, _ path: String, _ body: JSONValue? = nil, contentType: String = "application/json") async throws -> JSONValue {
        let response = try await client.send(method, path, body: body?.serializedBytes(), contentType: body == nil ? nil : contentType)
        guard response.status < 300 else {
            throw AgentTestFailure("\(method) \(path): \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
        return (try? JSONValue(jsonBytes: response.body)) ?? .null
    }
}
