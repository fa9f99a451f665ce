import CShims
import Foundation
import Glibc
import StartTrace

extension RuntimeService {
    private func containerStateDir(_ id: String) -> String { "\(config.containersStateDir)/\(id)" }
    private func containerDataDir(_ id: String) -> String { "\(config.containersDataDir)/\(id)" }

    /// Resolves the image and records the container; nothing runs yet.
    package func createContainer(podID: String, config containerConfig: ContainerConfig) async throws -> String {
        guard let sandbox = sandboxes[podID] else { throw RuntimeError.notFound("pod sandbox", podID) }
        guard sandbox.state == .ready else { throw RuntimeError("pod sandbox \"\(podID)\" is not ready") }
        try Validation.dnsLabel(containerConfig.name, field: "container name")
        cgroupPrimer?.prime()
        let images = self.images
        let unified = unifiedCgroups
        let image = try await Blocking.run { try images.resolve(reference: containerConfig.image) }
        let builder = ContainerLaunchBuilder(
            config: containerConfig, image: image, lowerDirs: images.lowerDirs(for: image), sandbox: sandbox,
            unifiedCgroups: unified)
        let launch = try await Blocking.run { try builder.launchRecord() }

        let id = RuntimeID.make()
        let relativeLog = containerConfig.logPath ?? "\(containerConfig.name)/\(containerConfig.attempt).log"
        let record = ContainerRecord(
            id: id, podID: podID, config: containerConfig, imageID: image.id.description,
            imageRef: image.repoTags.first ?? containerConfig.image, state: .created, createdAt: Date(),
            cgroupPath: "\(sandbox.cgroupPath)/\(id.prefix(16))",
            logPath: "\(sandbox.logDirectory)/\(relativeLog)", launch: launch)
        let stateDir = containerStateDir(id)
        let dataDir = containerDataDir(id)
        try await Blocking.run {
            do {
                try StateFile.makeDirectory("\(stateDir)/rootfs", mode: 0o755)
                try StateFile.makeDirectory("\(dataDir)/upper", mode: 0o755)
                try StateFile.makeDirectory("\(dataDir)/work", mode: 0o700)
                try StateFile.makeDirectory((record.logPath as NSString).deletingLastPathComponent, mode: 0o755)
                try StateFile.write(record, to: "\(stateDir)/container.json")
            } catch {
                StateFile.removeTree(stateDir)
                StateFile.removeTree(dataDir)
                throw error
            }
        }
        containers[id] = record
        StartTrace.mark("container.created", namespace: sandbox.config.namespace, name: sandbox.config.name)
        return id
    }

    /// Starts the container's process: cgroup, log FIFOs and pump, overlay
    /// rootfs, then clone. A failed start records StartError and cleans up.
    package func startContainer(_ id: String) async throws {
        guard var record = containers[id] else { throw RuntimeError.notFound("container", id) }
        guard record.state == .created else {
            throw RuntimeError("container \"\(id)\" is \(record.state.rawValue), not CONTAINER_CREATED")
        }
        guard let sandbox = sandboxes[record.podID], sandbox.state == .ready else {
            throw RuntimeError("pod sandbox \"\(record.podID)\" of container \"\(id)\" is not ready")
        }
        let stateDir = containerStateDir(id)
        let dataDir = containerDataDir(id)
        let images = self.images
        let cgroups = self.cgroups
        let unified = unifiedCgroups
        let seccompCache = self.seccompCache
        let nodeNetns = config.nodeNetnsPath
        let fifos = (stdout: "\(stateDir)/stdout.fifo", stderr: "\(stateDir)/stderr.fifo")
        do {
            try await Blocking.run {
                try ContainerLogFIFO.create(at: fifos.stdout)
                try ContainerLogFIFO.create(at: fifos.stderr)
            }
            try await logs.register(
                containerID: id, logPath: record.logPath, policy: config.logPolicy,
                sources: [.fifo(fifos.stdout, stream: .stdout), .fifo(fifos.stderr, stream: .stderr)])
            StartTrace.mark("container.logs", namespace: sandbox.config.namespace, name: sandbox.config.name)
            let podState = "\(config.podsStateDir)/\(sandbox.id)"
            let started = try await Blocking.run { [record] () -> (LaunchedProcess, ProcessIdentity) in
                let image = try images.resolve(reference: record.imageRef)
                let lowerDirs = images.lowerDirs(for: image)
                var builder = ContainerLaunchBuilder(
                    config: record.config, image: image, lowerDirs: lowerDirs, sandbox: sandbox, unifiedCgroups: unified)
                builder.nodeNetnsPath = nodeNetns
                let cgroup = try cgroups.create(record.cgroupPath, limits: record.config.resources.cgroupLimits)
                let pod = (namespace: sandbox.config.namespace, name: sandbox.config.name)
                StartTrace.mark("container.cgroup", namespace: pod.namespace, name: pod.name)
                do {
                    let seccomp = record.launch.seccomp
                        ? try seccompCache.profile(
                            for: .runtimeDefault, capabilities: CapabilitySet(rawValue: record.launch.capabilities))
                        : nil
                    var spec = try builder.launchSpec(
                        record: record.launch,
                        rootfs: .overlay(
                            lowerDirs: lowerDirs, upperDir: "\(dataDir)/upper", workDir: "\(dataDir)/work",
                            mountPoint: "\(stateDir)/rootfs"),
                        podFiles: SandboxFiles.mounts(stateDir: podState), seccomp: seccomp)
                    spec.cgroup = CgroupPlacement(unifiedPath: cgroup.unifiedPath, procsFiles: cgroup.procsFiles)
                    let out = try ContainerLogFIFO.openContainerEnd(fifos.stdout)
                    defer { close(out) }
                    let err = try ContainerLogFIFO.openContainerEnd(fifos.stderr)
                    defer { close(err) }
                    spec.stdio = [nil, out, err]
                    spec.recordChildMarks = StartTrace.enabled
                    let process = try Launcher.launch(spec)
                    if let marks = process.childMarks {
                        StartTrace.mark("container.joined", namespace: pod.namespace, name: pod.name, at: marks.joined)
                        StartTrace.mark("container.rootfs", namespace: pod.namespace, name: pod.name, at: marks.rootfs)
                        StartTrace.mark("container.exec", namespace: pod.namespace, name: pod.name, at: marks.exec)
                        StartTrace.mark("container.started", namespace: pod.namespace, name: pod.name)
                    }
                    guard let identity = ProcessIdentity(pid: process.pid) else {
                        return (process, ProcessIdentity(pid: process.pid, startTime: 0))
                    }
                    return (process, identity)
                } catch {
                    try? cgroup.remove()
                    throw error
                }
            }
            record.state = .running
            record.startedAt = Date()
            record.process = started.1
            containers[id] = record
            pidfds[id] = started.0.pidfd
            try persist(record)
            try watchExit(id: id, pidfd: started.0.pidfd)
            emit(.containerStarted(id: id))
        } catch {
            _ = await logs.stop(containerID: id)
            record.state = .exited
            record.exitCode = 128
            record.reason = "StartError"
            record.message = "\(error)"
            record.finishedAt = Date()
            containers[id] = record
            try? persist(record)
            throw error
        }
    }

    func watchExit(id: String, pidfd: Int32) throws {
        try exits.watch(pidfd: pidfd) { [weak self] status in
            guard let self else { return }
            Task { await self.containerExited(id, status: status) }
        }
    }

    /// Records how the container ended (OOMKilled when its cgroup saw an OOM kill).
    func containerExited(_ id: String, status: ExitStatus) async {
        guard var record = containers[id], record.state == .running else { return }
        let cgroup = cgroups.open(record.cgroupPath)
        let oomKills = (try? cgroup?.oomKillCount()) ?? 0
        // The init is gone; anything it left (a pid namespace dies with its init) is reaped with the cgroup.
        try? cgroup?.kill()
        _ = await logs.stop(containerID: id)
        record.state = .exited
        record.finishedAt = Date()
        record.exitCode = status.code
        switch status {
        case _ where oomKills > 0: record.reason = "OOMKilled"
        case .exited(code: 0): record.reason = "Completed"
        case .exited, .signaled: record.reason = "Error"
        case .unknown: record.reason = "Unknown"
        }
        containers[id] = record
        if let fd = pidfds.removeValue(forKey: id) { close(fd) }
        try? persist(record)
        for waiter in exitWaiters.removeValue(forKey: id) ?? [] { waiter.resume() }
        emit(.containerExited(id: id, exitCode: status.code, reason: record.reason ?? "Unknown"))
    }

    /// SIGTERM (or the image's stop signal), then after `timeout` SIGKILL to
    /// the whole cgroup. Returns once the container has exited.
    package func stopContainer(_ id: String, timeout: Duration) async throws {
        guard let record = containers[id] else { throw RuntimeError.notFound("container", id) }
        guard record.state == .running, let pidfd = pidfds[id] else { return }
        if timeout > .zero {
            _ = skiff_pidfd_send_signal(pidfd, SIGTERM)
            if await waitForExit(id, timeout: timeout) { return }
        }
        let cgroup = cgroups.open(record.cgroupPath)
        try await Blocking.run { try cgroup?.kill() }
        _ = skiff_pidfd_send_signal(pidfd, SIGKILL)
        _ = await waitForExit(id, timeout: .seconds(10))
    }

    /// Waits until `containerExited` ran for `id` or the timeout passed.
    func waitForExit(_ id: String, timeout: Duration) async -> Bool {
        if containers[id]?.state != .running { return true }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.releaseWaiters(id)
        }
        await withCheckedContinuation { continuation in
            exitWaiters[id, default: []].append(continuation)
        }
        timer.cancel()
        return containers[id]?.state != .running
    }

    private func releaseWaiters(_ id: String) {
        for waiter in exitWaiters.removeValue(forKey: id) ?? [] { waiter.resume() }
    }

    /// Removes a container (stopping it first if needed): cgroup, upper dir,
    /// FIFOs, state and log files. Nothing of it is left on the node.
    package func removeContainer(_ id: String) async throws {
        guard let record = containers[id] else { return }
        if record.state == .running { try await stopContainer(id, timeout: .zero) }
        _ = await logs.stop(containerID: id)
        let cgroup = cgroups.open(record.cgroupPath)
        let stateDir = containerStateDir(id)
        let dataDir = containerDataDir(id)
        try await Blocking.run {
            try cgroup?.remove()
            StateFile.removeTree(stateDir)
            StateFile.removeTree(dataDir)
            for file in RotatedLogFiles.list(for: record.logPath) + [record.logPath] { unlink(file) }
            // The per-container log directory goes too once empty.
            rmdir((record.logPath as NSString).deletingLastPathComponent)
        }
        containers[id] = nil
    }

    package func containerStatus(_ id: String) throws -> ContainerRecord {
        guard let record = containers[id] else { throw RuntimeError.notFound("container", id) }
        return record
    }

    package func listContainers(podID: String? = nil) -> [ContainerRecord] {
        containers.values.filter { podID == nil || $0.podID == podID }.sorted { $0.createdAt < $1.createdAt }
    }

    func persist(_ record: ContainerRecord) throws {
        try StateFile.write(record, to: "\(containerStateDir(record.id))/container.json")
    }
}
