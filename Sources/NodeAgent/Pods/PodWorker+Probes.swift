import Foundation
import NodeRuntime
import SkiffAPI

extension PodWorker {
    enum ProbeKind: String, Sendable {
        case liveness = "Liveness"
        case readiness = "Readiness"
        case startup = "Startup"

        var field: String {
            switch self {
            case .liveness: "livenessProbe"
            case .readiness: "readinessProbe"
            case .startup: "startupProbe"
            }
        }
    }

    /// Starts the probe loops of a running container once (by container id).
    func ensureProbes(_ spec: JSONValue, _ record: ContainerRecord) {
        guard probeTasks[record.id] == nil, record.state == .running else { return }
        var tasks: [Task<Void, Never>] = []
        for kind in [ProbeKind.startup, .liveness, .readiness] where !spec[kind.field].isNull {
            let probe = ProbeSpec(probe: spec[kind.field], container: spec)
            let id = record.id
            tasks.append(Task { [weak self] in await self?.probeLoop(kind, probe, containerID: id) })
        }
        probeTasks[record.id] = tasks
        probeContainerNames[record.id] = record.config.name
    }

    func stopProbes(_ containerID: String) {
        for task in probeTasks.removeValue(forKey: containerID) ?? [] { task.cancel() }
    }

    /// kubelet's prober worker: wait initialDelaySeconds, then probe every
    /// periodSeconds; a result counts once it held successThreshold or
    /// failureThreshold times in a row. Liveness and readiness wait for the
    /// startup probe; a passed startup probe stops probing.
    private func probeLoop(_ kind: ProbeKind, _ probe: ProbeSpec, containerID: String) async {
        try? await Task.sleep(for: probe.initialDelay)
        var successes = 0
        var failures = 0
        while !Task.isCancelled {
            if kind != .startup, startupPending(containerID) {
                try? await Task.sleep(for: .milliseconds(200))
                continue
            }
            let started = ContinuousClock.now
            let result = await context.prober.run(probe, containerID: containerID, podIP: await podIP())
            if Task.isCancelled { return }
            log.trace("probe", metadata: [
                "pod": "\(namespace)/\(name)", "probe": "\(kind.rawValue)", "result": "\(result)",
                "took": "\(ContinuousClock.now - started)"])
            switch result {
            case .success:
                successes += 1
                failures = 0
                if successes >= (kind == .readiness ? probe.successThreshold : 1) {
                    probeSucceeded(kind, containerID)
                    if kind == .startup { return }
                }
            case .failure(let message):
                failures += 1
                successes = 0
                probeFailed(kind, containerID, message: message, atThreshold: failures >= probe.failureThreshold)
                if failures >= probe.failureThreshold, kind != .readiness { return }
            }
            try? await Task.sleep(for: probe.period)
        }
    }

    private func startupPending(_ containerID: String) -> Bool {
        guard let tasks = probeTasks[containerID], !tasks.isEmpty else { return false }
        let name = containerName(containerID)
        let spec = appSpecs.first { $0["name"].stringValue == name } ?? .null
        return !spec["startupProbe"].isNull && startup[containerID] != true
    }

    private func containerName(_ containerID: String) -> String? {
        probeContainerNames[containerID]
    }

    private func probeSucceeded(_ kind: ProbeKind, _ containerID: String) {
        switch kind {
        case .readiness:
            if readiness[containerID] != true {
                readiness[containerID] = true
                requestSync()
            }
        case .startup:
            if startup[containerID] != true {
                startup[containerID] = true
                requestSync()
            }
        case .liveness:
            break
        }
    }

    private func probeFailed(_ kind: ProbeKind, _ containerID: String, message: String, atThreshold: Bool) {
        let name = probeContainerNames[containerID] ?? ""
        context.events.post(
            pod, type: "Warning", reason: "Unhealthy", message: "\(kind.rawValue) probe failed: \(message)",
            fieldPath: fieldPath(name, false))
        guard atThreshold else { return }
        switch kind {
        case .readiness:
            if readiness[containerID] != false {
                readiness[containerID] = false
                requestSync()
            }
        case .liveness:
            livenessKill[containerID] = "failed liveness probe"
            requestSync()
        case .startup:
            livenessKill[containerID] = "failed startup probe"
            requestSync()
        }
    }
}
