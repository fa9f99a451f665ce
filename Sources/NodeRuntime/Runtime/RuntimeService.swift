import CShims
import Foundation
import Glibc
import StartTrace

/// The node's container runtime behind a CRI-shaped interface: the node
/// agent asks for sandboxes and containers and never sees clone, mounts or
/// cgroups. State is persisted under the state dir after every change, so a
/// restarted process re-adopts what is running instead of forgetting it.
package actor RuntimeService {
    package nonisolated let config: RuntimeConfig
    package nonisolated let images: ImageStore
    let cgroups: CgroupDriver
    let unifiedCgroups: Bool
    let seccompCache: SeccompProfileCache
    /// Starts a container's cgroup v1 move early (nil on cgroup v2).
    let cgroupPrimer: CgroupMigrationPrimer?
    let logs: LogPumpHub
    let exits: ExitWatcher
    /// The node's pod network (bridge, IPAM, veths), when configured.
    package nonisolated let network: PodNetwork?

    var sandboxes: [String: PodSandboxRecord] = [:]
    var containers: [String: ContainerRecord] = [:]
    /// pidfds of running containers we watch (ours or re-adopted).
    var pidfds: [String: Int32] = [:]
    /// Waiters for a container's exit (StopContainer).
    var exitWaiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    private let eventStream: AsyncStream<RuntimeEvent>
    private let eventSink: AsyncStream<RuntimeEvent>.Continuation

    package init(config: RuntimeConfig) throws {
        self.config = config
        for dir in [config.dataDir, config.stateDir, config.podsStateDir, config.containersStateDir,
                    config.containersDataDir, config.logsDir, config.imageInboxDir] {
            try StateFile.makeDirectory(dir)
        }
        images = try ImageStore(root: config.imageStoreDir)
        let layout = try CgroupLayout.detect()
        if case .unified = layout { unifiedCgroups = true } else { unifiedCgroups = false }
        cgroupPrimer = CgroupMigrationPrimer.forHost(layout)
        cgroups = try CgroupDriver.system(placement: .hierarchyRoot)
        seccompCache = .shared
        logs = try LogPumpHub()
        exits = try ExitWatcher()
        network = try config.network.map { try PodNetwork(config: $0) }
        (eventStream, eventSink) = AsyncStream.makeStream(of: RuntimeEvent.self)
    }

    /// Container lifecycle events (started, exited) for the node agent.
    package nonisolated var events: AsyncStream<RuntimeEvent> { eventStream }

    func emit(_ event: RuntimeEvent) {
        eventSink.yield(event)
    }

    /// Lets go of everything without stopping it (daemon shutdown or
    /// restart): containers keep running, their FIFOs keep what they write
    /// until the next process re-adopts them with `recover()`.
    package func shutdown() async {
        exits.stop()
        await logs.shutdown()
        for fd in pidfds.values { close(fd) }
        pidfds.removeAll()
        eventSink.finish()
    }

    // MARK: - Sandboxes

    /// Creates the pod's network, IPC and UTS namespaces (kept by nsfs bind
    /// mounts, no pause process) and its /etc/hosts, /etc/hostname, resolv.conf.
    package func runPodSandbox(_ sandboxConfig: PodSandboxConfig) async throws -> String {
        try Validation.dnsLabel(sandboxConfig.hostname, field: "hostname")
        // The first container's cgroup move comes ~10 ms later: its wait for
        // the kernel passes meanwhile.
        cgroupPrimer?.prime()
        let id = RuntimeID.make()
        let dir = "\(config.podsStateDir)/\(id)"
        let logDirectory = sandboxConfig.logDirectory
            ?? "\(config.logsDir)/\(sandboxConfig.namespace)_\(sandboxConfig.name)_\(sandboxConfig.uid)"
        let record = PodSandboxRecord(
            id: id, config: sandboxConfig, state: .ready, createdAt: Date(),
            netnsPath: sandboxConfig.hostNetwork ? nil : "\(dir)/ns/net",
            ipcPath: sandboxConfig.hostIPC ? nil : "\(dir)/ns/ipc",
            utsPath: "\(dir)/ns/uts", logDirectory: logDirectory,
            cgroupPath: "\(config.cgroupParent)/pod\(RuntimeID.cgroupSafe(sandboxConfig.uid))", network: nil)
        let network = self.network
        let (podNamespace, podName) = (sandboxConfig.namespace, sandboxConfig.name)
        StartTrace.mark("sandbox.begin", namespace: podNamespace, name: podName)
        let ready = try await Blocking.run { [record] in
            var record = record
            do {
                let started = ContinuousClock.now
                try SandboxFiles.create(record, stateDir: dir)
                record.namespacesNanos = UInt64((ContinuousClock.now - started).nanoseconds)
                StartTrace.mark("sandbox.namespaces", namespace: podNamespace, name: podName)
                if let network, let netns = record.netnsPath {
                    record.network = try network.attach(sandboxID: id, podNetnsPath: netns)
                }
                StartTrace.mark("sandbox.network", namespace: podNamespace, name: podName)
                try StateFile.write(record, to: "\(dir)/sandbox.json")
                return record
            } catch {
                if record.network != nil { try? network?.detach(sandboxID: id) }
                SandboxFiles.remove(record, stateDir: dir)
                throw error
            }
        }
        sandboxes[id] = ready
        return id
    }

    /// Stops every container of the pod (with its grace period) and marks the sandbox not ready.
    package func stopPodSandbox(_ id: String, gracePeriod: Duration = .seconds(10)) async throws {
        guard var record = sandboxes[id] else { throw RuntimeError.notFound("pod sandbox", id) }
        let members = containers.values.filter { $0.podID == id && $0.state == .running }.map(\.id)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for member in members {
                group.addTask { try await self.stopContainer(member, timeout: gracePeriod) }
            }
            try await group.waitForAll()
        }
        record.state = .notReady
        sandboxes[id] = record
        let path = "\(config.podsStateDir)/\(id)/sandbox.json"
        try await Blocking.run { [record] in try StateFile.write(record, to: path) }
    }

    /// Removes the sandbox, its containers, namespaces, files and cgroup.
    package func removePodSandbox(_ id: String) async throws {
        guard let record = sandboxes[id] else { return }
        if record.state == .ready { try await stopPodSandbox(id, gracePeriod: .zero) }
        for member in containers.values where member.podID == id {
            try await removeContainer(member.id)
        }
        let dir = "\(config.podsStateDir)/\(id)"
        let cgroup = cgroups.open(record.cgroupPath)
        let network = record.network == nil ? nil : self.network
        // The pod's log directory goes with it when it is ours (kubelet removes it too);
        // a directory the caller chose only if its containers left it empty.
        let ownsLogs = record.logDirectory.hasPrefix(config.logsDir + "/")
        try await Blocking.run {
            try network?.detach(sandboxID: id)
            SandboxFiles.remove(record, stateDir: dir)
            try cgroup?.remove()
            if ownsLogs { StateFile.removeTree(record.logDirectory) } else { rmdir(record.logDirectory) }
        }
        sandboxes[id] = nil
    }

    package func podSandboxStatus(_ id: String) throws -> PodSandboxRecord {
        guard let record = sandboxes[id] else { throw RuntimeError.notFound("pod sandbox", id) }
        return record
    }

    package func listPodSandboxes() -> [PodSandboxRecord] {
        sandboxes.values.sorted { $0.createdAt < $1.createdAt }
    }
}

/// Lifecycle changes the runtime reports to whoever drives it.
package enum RuntimeEvent: Equatable, Sendable {
    case containerStarted(id: String)
    case containerExited(id: String, exitCode: Int32, reason: String)
}

extension RuntimeError {
    static func notFound(_ kind: String, _ id: String) -> RuntimeError {
        RuntimeError("\(kind) \"\(id)\" not found")
    }
}

/// Random ids (64 hex, as containerd's), short enough prefixes to print.
enum RuntimeID {
    static func make() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// A pod uid as a cgroup path component.
    static func cgroupSafe(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}

enum Validation {
    /// RFC 1123 label (hostnames, container names).
    static func dnsLabel(_ value: String, field: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        guard !value.isEmpty, value.count <= 63, value.allSatisfy({ allowed.contains($0) }),
            value.first != "-", value.last != "-"
        else {
            throw RuntimeError(
                "\(field): \"\(value)\" is not a valid DNS label (lowercase letters, digits and '-', at most 63 characters)")
        }
    }
}

extension Duration {
    /// Whole nanoseconds (durations here are far below the Int64 range).
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
