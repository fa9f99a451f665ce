import Foundation
import NodeRuntime
import SkiffAPI
import StartTrace

extension PodWorker {
    /// Builds the status from what the runtime says and writes it when it
    /// changed (a merge patch of `status`: lists are replaced whole).
    func writeStatus() async {
        let records = sandboxID == nil ? [] : await context.runtime.listContainers(podID: sandboxID ?? "")
        let initViews = initSpecs.map { view(for: $0, isInit: true, records) }
        let appViews = appSpecs.map { view(for: $0, isInit: false, records) }
        var phase = PodPhase.of(initContainers: initViews, containers: appViews, restartPolicy: restartPolicy)
        if podFailure != nil { phase = "Failed" }
        let builder = PodStatusBuilder(
            pod: pod.with(status: lastStatus ?? .null), nodeIP: context.config.nodeIP, podIP: await podIP(),
            initContainers: initViews, containers: appViews, phase: phase, startTime: startTime,
            qosClass: PodQOS.classOf(pod: pod), reason: podFailure?.reason, message: podFailure?.message)
        let status = builder.build(now: Date())
        guard status != lastStatus else { return }
        let nowRunning = phase == "Running" && lastStatus?["phase"].stringValue != "Running"
        if nowRunning { StartTrace.mark("status.sending", namespace: namespace, name: name) }
        do {
            try await context.api.mergePatch(AgentPath.podStatus(namespace, name), ["status": status])
            if nowRunning { StartTrace.mark("status.running", namespace: namespace, name: name) }
            lastStatus = status
            if phase == "Succeeded" || phase == "Failed" { requestSync() }
        } catch where error.isNotFound {
            // Deleted meanwhile; the watch brings the deletion.
        } catch {
            log.warning("pod status not written", metadata: ["pod": "\(namespace)/\(name)", "error": "\(error)"])
            syncAfter(context.config.retryInterval)
        }
    }

    private func view(for spec: JSONValue, isInit: Bool, _ records: [ContainerRecord]) -> ContainerView {
        let name = spec["name"].stringValue ?? ""
        var view = Self.view(name, isInit: isInit, records)
        if let current = view.current, current.state == .running {
            let hasReadiness = !spec["readinessProbe"].isNull
            let hasStartup = !spec["startupProbe"].isNull
            view.started = !hasStartup || startup[current.id] == true
            view.ready = isInit ? false : (view.started && (!hasReadiness || readiness[current.id] == true))
        } else if let current = view.current, current.state == .exited, isInit {
            view.ready = current.exitCode == 0
        }
        if !view.isRunning {
            if let reason = waiting[name] {
                view.waiting = reason
            } else if view.current == nil {
                view.waiting = isInit || initSpecs.isEmpty || initViewsDone(records) ? .creating : .initializing
            }
        }
        return view
    }

    private func initViewsDone(_ records: [ContainerRecord]) -> Bool {
        initSpecs.allSatisfy { Self.view($0["name"].stringValue ?? "", isInit: true, records).succeeded }
    }
}

extension JSONValue {
    /// A copy with `status` replaced (the worker's own idea of the last status written).
    func with(status: JSONValue) -> JSONValue {
        var copy = self
        copy["status"] = status
        return copy
    }
}
