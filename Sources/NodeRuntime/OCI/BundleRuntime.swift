import CShims
import Foundation
import Glibc

/// `skiff runtime create|start|run|state|kill|delete|list`: OCI bundles run
/// the way runc and crun run them, so the same bundle can be timed through
/// all three. No process stays behind for a container: `create` parks the
/// container's own init at a FIFO gate that `start` opens.
package struct BundleRuntime: Sendable {
    /// State directory, one subdirectory per container (default /run/skiff/runtime).
    package var root: String
    package var cgroups: CgroupDriver
    package var unifiedCgroups: Bool
    package var seccompCache: SeccompProfileCache
    /// Starts the container's cgroup v1 move early (see CgroupMigrationPrimer).
    package var cgroupPrimer: CgroupMigrationPrimer?

    package init(root: String, cgroups: CgroupDriver, unifiedCgroups: Bool, seccompCache: SeccompProfileCache = .shared) {
        self.root = root
        self.cgroups = cgroups
        self.unifiedCgroups = unifiedCgroups
        self.seccompCache = seccompCache
    }

    /// The runtime as configured on this host.
    /// `startingContainer`: this process is about to start one (`run`,
    /// `create`), so the early cgroup move starts now, as soon as the layout
    /// is known: its container moves only a few milliseconds later, less than
    /// the kernel's wait (see CgroupMigrationPrimer).
    package static func host(root: String = "/run/skiff/runtime", startingContainer: Bool = false) throws -> BundleRuntime {
        let layout = try CgroupLayout.detect()
        let primer = CgroupMigrationPrimer.forHost(layout)
        if startingContainer { primer?.prime() }
        let unified: Bool
        if case .unified = layout { unified = true } else { unified = false }
        var runtime = BundleRuntime(
            root: root, cgroups: try CgroupDriver.system(placement: .hierarchyRoot), unifiedCgroups: unified)
        runtime.cgroupPrimer = primer
        return runtime
    }

    private func directory(_ id: String) -> String { "\(root)/\(id)" }
    private func statePath(_ id: String) -> String { "\(directory(id))/state.json" }
    private func gatePath(_ id: String) -> String { "\(directory(id))/exec.fifo" }

    /// Validates an id the way runc does: it becomes a directory and a cgroup name.
    package static func validate(id: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-.")
        guard !id.isEmpty, id.count <= 1024, id.allSatisfy({ allowed.contains($0) }), id != ".", id != ".." else {
            throw RuntimeError("container id \"\(id)\": must be non-empty and use only letters, digits, '_', '+', '-' and '.'")
        }
    }

    /// Sets up the container and parks it before exec (status "created").
    package func create(id: String, bundle: String) throws -> BundleStatus {
        try start(id: id, bundle: bundle, gated: true, stdio: [0, 1, 2]).status
    }

    /// Opens the gate: the parked init execs the user's process.
    package func start(id: String) throws {
        let state = try load(id)
        guard state.process.isAlive else { throw RuntimeError("container \"\(id)\" is not running (status stopped)") }
        let gate = gatePath(id)
        let fd = open(gate, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { throw RuntimeError("container \"\(id)\" has already been started") }
            throw SystemError.current("open \(gate)")
        }
        defer { close(fd) }
        var byte: UInt8 = 0
        if Glibc.write(fd, &byte, 1) != 1 { throw SystemError.current("write \(gate)") }
        unlink(gate)
    }

    /// create + start + wait + delete, with the caller's stdio; returns the
    /// process's exit status. Signals sent to us are forwarded to the container.
    package func run(id: String, bundle: String, detach: Bool) throws -> ExitStatus? {
        let started = try start(id: id, bundle: bundle, gated: false, stdio: [0, 1, 2])
        if detach {
            close(started.pidfd)
            return nil
        }
        var timer = PhaseTimer()
        let forwarder = SignalForwarder(pidfd: started.pidfd)
        let status = ExitWatcher.reap(pidfd: started.pidfd)
        forwarder.stop()
        close(started.pidfd)
        timer.mark("wait")
        try delete(id: id, force: true)
        timer.mark("delete")
        timer.report("run \(id)")
        return status
    }

    package func state(id: String) throws -> BundleStatus {
        let state = try load(id)
        return status(of: state)
    }

    package func list() -> [BundleStatus] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return ids.sorted().compactMap { try? state(id: $0) }
    }

    package func kill(id: String, signal: Int32) throws {
        let state = try load(id)
        guard state.process.isAlive else { throw RuntimeError("container \"\(id)\" is not running") }
        let pidfd = skiff_pidfd_open(state.process.pid)
        if pidfd < 0 { throw SystemError.current("pidfd_open \(state.process.pid)") }
        defer { close(pidfd) }
        if skiff_pidfd_send_signal(pidfd, signal) < 0 { throw SystemError.current("kill \(id)") }
    }

    /// Removes a stopped container; `force` kills a running one first
    /// (the whole cgroup, so no process of it survives).
    package func delete(id: String, force: Bool) throws {
        let state = try load(id)
        let cgroup = cgroups.open(state.cgroupPath)
        if state.process.isAlive {
            guard force else {
                throw RuntimeError("container \"\(id)\" is running; stop it first or use --force")
            }
            try cgroup?.kill()
            if cgroup == nil { _ = Glibc.kill(state.process.pid, SIGKILL) }
        }
        try cgroup?.remove()
        StateFile.removeTree(directory(id))
    }

    // MARK: - internals

    private struct Started {
        var status: BundleStatus
        var pidfd: Int32
    }

    private func start(id: String, bundle: String, gated: Bool, stdio: [Int32?]) throws -> Started {
        var timer = PhaseTimer()
        defer { timer.report("start \(id)") }
        try Self.validate(id: id)
        let bundle = URL(fileURLWithPath: bundle).standardizedFileURL.path
        let spec = try RuntimeSpec.load(bundle: bundle)
        let launcher = BundleLaunch(spec: spec, bundle: bundle)
        var launch = try launcher.launchSpec(unifiedCgroups: unifiedCgroups, seccompCache: seccompCache)
        launch.stdio = stdio
        timer.mark("spec")

        let dir = directory(id)
        try StateFile.makeDirectory(root)
        if mkdir(dir, 0o711) != 0 {
            if errno == EEXIST { throw RuntimeError("container \"\(id)\" already exists") }
            throw SystemError.current("mkdir \(dir)")
        }
        var cgroup: Cgroup?
        var pidfd: Int32 = -1
        do {
            let cgroupPath = Self.cgroupPath(spec.linux?.cgroupsPath, id: id)
            cgroup = try cgroups.create(cgroupPath, limits: launcher.resourceLimits)
            launch.cgroup = CgroupPlacement(unifiedPath: cgroup?.unifiedPath, procsFiles: cgroup?.procsFiles ?? [])
            timer.mark("cgroup")
            var gateFD: Int32 = -1
            if gated {
                let gate = gatePath(id)
                if mkfifo(gate, 0o600) != 0 { throw SystemError.current("mkfifo \(gate)") }
                // O_RDWR never blocks on a FIFO; the child keeps it and blocks in read().
                gateFD = open(gate, O_RDWR | O_CLOEXEC)
                if gateFD < 0 { throw SystemError.current("open \(gate)") }
                launch.gateFD = gateFD
            }
            defer { if gateFD >= 0 { close(gateFD) } }
            let process = try Launcher.launch(launch)
            pidfd = process.pidfd
            timer.mark("launch")
            guard let identity = ProcessIdentity(pid: process.pid) else {
                throw RuntimeError("container \"\(id)\" exited immediately")
            }
            let state = BundleState(
                id: id, bundle: bundle, rootfs: launcher.rootfsPath, process: identity, cgroupPath: cgroupPath, created: Date(),
                annotations: nil)
            try StateFile.write(state, to: statePath(id))
            timer.mark("state")
            return Started(status: status(of: state), pidfd: pidfd)
        } catch {
            if pidfd >= 0 {
                _ = skiff_pidfd_send_signal(pidfd, SIGKILL)
                _ = ExitWatcher.reap(pidfd: pidfd)
                close(pidfd)
            }
            try? cgroup?.remove()
            StateFile.removeTree(dir)
            throw error
        }
    }

    /// linux.cgroupsPath, or skiff/<id>. Absolute paths are taken relative to
    /// the hierarchy root, as runc's cgroupfs driver does.
    static func cgroupPath(_ requested: String?, id: String) -> String {
        guard let requested, !requested.isEmpty else { return "skiff/\(id)" }
        let trimmed = requested.drop(while: { $0 == "/" })
        return trimmed.isEmpty ? "skiff/\(id)" : String(trimmed)
    }

    fileprivate func load(_ id: String) throws -> BundleState {
        try Self.validate(id: id)
        let path = statePath(id)
        guard FileManager.default.fileExists(atPath: path) else {
            throw RuntimeError("container \"\(id)\" does not exist")
        }
        return try StateFile.read(BundleState.self, from: path)
    }

    private func status(of state: BundleState) -> BundleStatus {
        let alive = state.process.isAlive
        let status: String
        if !alive {
            status = "stopped"
        } else if FileManager.default.fileExists(atPath: gatePath(state.id)) {
            status = "created"
        } else {
            status = "running"
        }
        return BundleStatus(
            id: state.id, status: status, pid: alive ? state.process.pid : 0, bundle: state.bundle,
            rootfs: state.rootfs, created: state.created)
    }
}

extension BundleRuntime {
    /// `runc exec`: runs a process inside a running bundle container with its
    /// namespaces and cgroup. The bundle's process section supplies the user,
    /// capabilities, filter and environment.
    package func execTarget(id: String) throws -> ExecTarget {
        let state = try load(id)
        guard state.process.isAlive else { throw RuntimeError("container \"\(id)\" is not running") }
        let spec = try RuntimeSpec.load(bundle: state.bundle)
        let launch = try BundleLaunch(spec: spec, bundle: state.bundle)
            .launchSpec(unifiedCgroups: unifiedCgroups, seccompCache: seccompCache)
        let cgroup = cgroups.open(state.cgroupPath)
        return ExecTarget(
            pid: state.process.pid,
            cgroup: CgroupPlacement(unifiedPath: cgroup?.unifiedPath, procsFiles: cgroup?.procsFiles ?? []),
            capabilities: launch.capabilities, seccomp: launch.seccomp, noNewPrivileges: launch.noNewPrivileges,
            uid: launch.uid, gid: launch.gid, additionalGids: launch.additionalGids, env: launch.env,
            workingDir: launch.workingDir ?? "/")
    }
}
