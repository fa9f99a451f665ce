import Foundation
import NodeRuntime
import SkiffAPI

extension PodWorker {
    var restartPolicy: String { pod["spec"]["restartPolicy"].stringValue ?? "Always" }
    var initSpecs: [JSONValue] { pod["spec"]["initContainers"].arrayValue ?? [] }
    var appSpecs: [JSONValue] { pod["spec"]["containers"].arrayValue ?? [] }

    /// One pass of kubelet's SyncPod: bring the pod one step closer to its
    /// spec, then report what is.
    func sync() async {
        if startTime == nil { startTime = Date() }
        let phase = lastStatus?["phase"].stringValue
        if phase == "Succeeded" || phase == "Failed" {
            await settleFinishedPod()
            return
        }
        if await deadlinePassed() { return }
        guard await prepareSandbox() else {
            await writeStatus()
            syncAfter(context.config.retryInterval)
            return
        }
        await runContainers()
        await writeStatus()
    }

    /// `activeDeadlineSeconds`: past it, the pod's containers are stopped and
    /// the pod fails with DeadlineExceeded.
    private func deadlinePassed() async -> Bool {
        guard let seconds = pod["spec"]["activeDeadlineSeconds"].int64Value, let startTime else { return false }
        let remaining = startTime.addingTimeInterval(TimeInterval(seconds)).timeIntervalSinceNow
        guard remaining <= 0 else {
            syncAfter(.milliseconds(Int64(remaining * 1000) + 10))
            return false
        }
        let message = "Pod was active on the node longer than the specified deadline"
        if podFailure == nil {
            podFailure = ("DeadlineExceeded", message)
            context.events.post(pod, type: "Warning", reason: "DeadlineExceeded", message: message)
        }
        if let sandboxID {
            for record in await context.runtime.listContainers(podID: sandboxID) where record.state == .running {
                stopProbes(record.id)
                await stopGracefully(record, spec: .null, grace: gracePeriod())
            }
        }
        await writeStatus()
        return true
    }

    /// Volumes first (a container must never start without them), then the
    /// sandbox: namespaces, /etc files, veth and IP.
    private func prepareSandbox() async -> Bool {
        do {
            volumePaths = try await context.volumes.setUp(pod: pod)
        } catch {
            // kubelet leaves the containers in ContainerCreating and says why in a FailedMount event.
            let message = "\(error)"
            if mountFailure != message {
                mountFailure = message
                context.events.post(pod, type: "Warning", reason: "FailedMount", message: message)
            }
            return false
        }
        mountFailure = nil
        if let id = sandboxID, (try? await context.runtime.podSandboxStatus(id))?.state == .ready { return true }
        do {
            let config = SandboxSpec.config(for: pod)
            sandboxID = try await context.runtime.runPodSandbox(config)
            return true
        } catch {
            context.events.post(
                pod, type: "Warning", reason: "FailedCreatePodSandBox",
                message: "Failed to create pod sandbox: \(error)")
            return false
        }
    }

    /// Init containers one at a time, in order; then every app container.
    private func runContainers() async {
        guard let sandboxID else { return }
        let records = await context.runtime.listContainers(podID: sandboxID)
        await noteExits(records)
        for spec in initSpecs {
            let name = spec["name"].stringValue ?? ""
            let view = Self.view(name, isInit: true, records)
            if view.succeeded { continue }
            if view.isRunning || view.current?.state == .created { return }
            if view.hasExited, restartPolicy == "Never" { return }
            await startOrBackOff(spec, isInit: true, view: view)
            return
        }
        for spec in appSpecs {
            let name = spec["name"].stringValue ?? ""
            let view = Self.view(name, isInit: false, records)
            if let current = view.current, current.state == .running {
                if let reason = livenessKill.removeValue(forKey: current.id) {
                    await killForProbe(spec, current, reason: reason)
                } else {
                    ensureProbes(spec, current)
                }
                continue
            }
            if let current = view.current, current.state == .exited {
                let wantsRestart = restartPolicy == "Always" || (restartPolicy == "OnFailure" && current.exitCode != 0)
                guard wantsRestart else { continue }
            }
            await startOrBackOff(spec, isInit: false, view: view)
        }
    }

    /// A container's first start, or its restart once its back-off has passed.
    private func startOrBackOff(_ spec: JSONValue, isInit: Bool, view: ContainerView) async {
        let name = view.name
        if let until = restartAt[name], until > .now {
            syncAfter(until - .now)
            return
        }
        if let current = view.current, current.state == .exited, restartAt[name] == nil {
            // It just exited: decide its back-off before restarting.
            let ranFor = (current.finishedAt ?? Date()).timeIntervalSince(current.startedAt ?? current.createdAt)
            var backoff = backoffs[name] ?? RestartBackoff(
                initial: context.config.initialBackoff, maximum: context.config.maxBackoff,
                reset: context.config.backoffReset)
            let delay = backoff.next(ranFor: .milliseconds(Int64(ranFor * 1000)))
            backoffs[name] = backoff
            log.debug("container exited", metadata: [
                "pod": "\(namespace)/\(self.name)", "container": "\(name)", "exitCode": "\(current.exitCode ?? -1)",
                "restartIn": "\(delay)"])
            if delay > .zero {
                restartAt[name] = .now + delay
                let message = "back-off \(Self.goDuration(delay)) restarting failed container=\(name) pod=\(name_)"
                waiting[name] = WaitingReason("CrashLoopBackOff", message)
                context.events.post(
                    pod, type: "Warning", reason: "BackOff", message: "Back-off restarting failed container \(name) in pod \(name_)",
                    fieldPath: fieldPath(name, isInit))
                syncAfter(delay)
                return
            }
        }
        restartAt[name] = nil
        let attempt = view.current.map { Int($0.config.attempt) + 1 } ?? 0
        await start(spec, isInit: isInit, attempt: attempt, previous: view.current)
    }

    var name_: String { "\(name)_\(namespace)(\(uid))" }

    func fieldPath(_ container: String, _ isInit: Bool) -> String {
        "spec.\(isInit ? "initContainers" : "containers"){\(container)}"
    }

    /// Events and probe cleanup for containers that exited since the last sync.
    private func noteExits(_ records: [ContainerRecord]) async {
        for record in records where record.state == .exited && !exitsSeen.contains(record.id) {
            exitsSeen.insert(record.id)
            stopProbes(record.id)
        }
    }

    /// The runtime's attempts of one container, latest first.
    static func view(_ name: String, isInit: Bool, _ records: [ContainerRecord]) -> ContainerView {
        let attempts = records.filter { $0.config.name == name }.sorted { $0.config.attempt > $1.config.attempt }
        return ContainerView(
            name: name, isInit: isInit, current: attempts.first, previous: attempts.dropFirst().first,
            waiting: nil, ready: false, started: false)
    }

    /// Go's time.Duration formatting for the back-off message (`10s`, `1m20s`, `5m0s`).
    static func goDuration(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        if seconds < 60 { return "\(seconds)s" }
        return "\(seconds / 60)m\(seconds % 60)s"
    }
}
