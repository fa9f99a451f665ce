import CShims
import Foundation
import Glibc

extension RuntimeService {
    /// Re-discovers sandboxes and containers after a restart of the process
    /// driving the runtime: running containers are re-adopted (exit watched
    /// through a fresh pidfd, logs pumped again from their FIFOs, which kept
    /// what was written meanwhile); containers that died while nobody watched
    /// are recorded as exited with reason Unknown.
    package func recover() async throws -> (sandboxes: Int, running: Int) {
        let podsDir = config.podsStateDir
        let containersDir = config.containersStateDir
        let (loadedSandboxes, loadedContainers) = try await Blocking.run {
            let fm = FileManager.default
            var pods: [PodSandboxRecord] = []
            for entry in (try? fm.contentsOfDirectory(atPath: podsDir)) ?? [] {
                let dir = "\(podsDir)/\(entry)"
                if let record = try? StateFile.read(PodSandboxRecord.self, from: "\(dir)/sandbox.json") {
                    pods.append(record)
                } else if !fm.fileExists(atPath: "\(dir)/sandbox.json") {
                    SandboxFiles.removeHalfMade(stateDir: dir)
                }
            }
            let containers = ((try? fm.contentsOfDirectory(atPath: containersDir)) ?? []).compactMap {
                try? StateFile.read(ContainerRecord.self, from: "\(containersDir)/\($0)/container.json")
            }
            return (pods, containers)
        }
        for sandbox in loadedSandboxes { sandboxes[sandbox.id] = sandbox }
        // Addresses of sandboxes that vanished (state lost, half-made) go back to the pool.
        let live = Set(sandboxes.keys)
        if let network { try await Blocking.run { try network.reconcile(liveSandboxes: live) } }
        var running = 0
        for var record in loadedContainers {
            containers[record.id] = record
            guard record.state == .running else { continue }
            if let process = record.process, process.isAlive, case let pidfd = skiff_pidfd_open(process.pid), pidfd >= 0,
                process.isAlive
            {
                pidfds[record.id] = pidfd
                let stateDir = "\(config.containersStateDir)/\(record.id)"
                try await logs.register(
                    containerID: record.id, logPath: record.logPath, policy: config.logPolicy,
                    sources: [.fifo("\(stateDir)/stdout.fifo", stream: .stdout), .fifo("\(stateDir)/stderr.fifo", stream: .stderr)])
                try watchExit(id: record.id, pidfd: pidfd)
                running += 1
            } else {
                record.state = .exited
                record.finishedAt = Date()
                record.exitCode = ExitStatus.unknown.code
                record.reason = "Unknown"
                record.message = "the container exited while the runtime was not running"
                containers[record.id] = record
                try? persist(record)
            }
        }
        return (loadedSandboxes.count, running)
    }
}
