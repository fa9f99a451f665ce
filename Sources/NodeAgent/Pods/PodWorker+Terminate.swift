import Foundation
import NodeRuntime
import SkiffAPI

extension PodWorker {
    /// Graceful termination: preStop hooks and SIGTERM within the grace
    /// period, SIGKILL after it, then the sandbox, volumes and logs go, and
    /// the pod object is deleted for good (grace 0, uid precondition).
    func terminate() async {
        guard let termination else { return }
        let deadline = ContinuousClock.now + termination.grace
        for tasks in probeTasks.values { for task in tasks { task.cancel() } }
        probeTasks.removeAll()
        if let sandboxID {
            let running = await context.runtime.listContainers(podID: sandboxID).filter { $0.state == .running }
            if !running.isEmpty, let drain = context.config.waitUntilUnrouted, let ip = await podIP() {
                await drain(ip)
            }
            let specs = initSpecs + appSpecs
            await withTaskGroup(of: Void.self) { group in
                for record in running {
                    let spec = specs.first { $0["name"].stringValue == record.config.name } ?? .null
                    group.addTask {
                        await self.stopGracefully(record, spec: spec, grace: max(.zero, deadline - .now))
                    }
                }
            }
            do {
                try await context.runtime.removePodSandbox(sandboxID)
            } catch {
                log.error("pod sandbox not removed", metadata: ["pod": "\(namespace)/\(name)", "error": "\(error)"])
                syncAfter(context.config.retryInterval)
                return
            }
            self.sandboxID = nil
        }
        do {
            try await context.volumes.tearDown(uid: uid)
        } catch {
            log.error("pod volumes not torn down", metadata: ["pod": "\(namespace)/\(name)", "error": "\(error)"])
            syncAfter(context.config.retryInterval)
            return
        }
        if termination.deleteObject {
            do {
                try await context.api.delete(
                    AgentPath.pod(namespace, name),
                    options: ["apiVersion": "v1", "kind": "DeleteOptions", "gracePeriodSeconds": 0,
                              "preconditions": ["uid": .string(uid)]])
            } catch {
                log.warning("pod not deleted; retrying", metadata: ["pod": "\(namespace)/\(name)", "error": "\(error)"])
                syncAfter(context.config.retryInterval)
                return
            }
        }
        await context.events.forget(uid: uid)
        await finish()
    }

    /// preStop (exec or httpGet) within the grace period, then SIGTERM and,
    /// when what is left of it has passed, SIGKILL.
    func stopGracefully(_ record: ContainerRecord, spec: JSONValue, grace: Duration) async {
        let started = ContinuousClock.now
        let name = record.config.name
        context.events.post(pod, reason: "Killing", message: "Stopping container \(name)", fieldPath: fieldPath(name, false))
        let hook = spec["lifecycle"]["preStop"]
        if !hook.isNull, grace > .zero {
            let outcome = await context.prober.run(
                ProbeSpec(hook: hook, timeout: grace), containerID: record.id, podIP: await podIP())
            if case .failure(let message) = outcome {
                context.events.post(
                    pod, type: "Warning", reason: "FailedPreStopHook",
                    message: "PreStopHook failed: \(message)", fieldPath: fieldPath(name, false))
            }
        }
        let left = max(.zero, grace - (ContinuousClock.now - started))
        try? await context.runtime.stopContainer(record.id, timeout: left)
    }

    /// A pod that has finished (Succeeded or Failed) keeps its containers for
    /// `logs` but runs nothing.
    func settleFinishedPod() async {
        guard let sandboxID else { return }
        let running = await context.runtime.listContainers(podID: sandboxID).filter { $0.state == .running }
        for record in running { try? await context.runtime.stopContainer(record.id, timeout: gracePeriod()) }
        for tasks in probeTasks.values { for task in tasks { task.cancel() } }
        probeTasks.removeAll()
    }
}
