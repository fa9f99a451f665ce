import Foundation
import NodeRuntime
import SkiffAPI

extension PodWorker {
    /// Creates and starts one attempt of a container, reporting each step as
    /// kubelet does (Pulled, Created, Started) and why it could not when it cannot.
    func start(_ spec: JSONValue, isInit: Bool, attempt: Int, previous: ContainerRecord?) async {
        let name = spec["name"].stringValue ?? ""
        let image = spec["image"].stringValue ?? ""
        let field = fieldPath(name, isInit)
        guard await imagePresent(spec, name: name, field: field) else {
            syncAfter(context.config.retryInterval)
            return
        }
        guard let sandboxID, let paths = volumePaths else { return }
        let config: ContainerConfig
        do {
            config = try await context.factory.make(
                container: spec, pod: podWithAddresses(), attempt: attempt, volumePaths: paths)
        } catch {
            let message = (error as? PodConfigError)?.message ?? "\(error)"
            if waiting[name]?.message != message {
                context.events.post(pod, type: "Warning", reason: "Failed", message: "Error: \(message)", fieldPath: field)
            }
            waiting[name] = WaitingReason("CreateContainerConfigError", message)
            syncAfter(context.config.retryInterval)
            return
        }
        let id: String
        log.debug("starting container", metadata: ["pod": "\(namespace)/\(self.name)", "container": "\(name)", "attempt": "\(attempt)"])
        do {
            id = try await context.runtime.createContainer(podID: sandboxID, config: config)
        } catch {
            waiting[name] = WaitingReason("CreateContainerError", "\(error)")
            context.events.post(pod, type: "Warning", reason: "Failed", message: "Error: \(error)", fieldPath: field)
            syncAfter(context.config.retryInterval)
            return
        }
        context.events.post(pod, reason: "Created", message: "Created container \(name)", fieldPath: field)
        do {
            try await context.runtime.startContainer(id)
            waiting[name] = nil
            context.events.post(pod, reason: "Started", message: "Started container \(name)", fieldPath: field)
            await runPostStart(spec, containerID: id, field: field)
            if !isInit { ensureProbes(spec, try await context.runtime.containerStatus(id)) }
            if isInit { requestSync() }
        } catch {
            context.events.post(
                pod, type: "Warning", reason: "Failed", message: "Error: failed to start container \"\(name)\": \(error)",
                fieldPath: field)
            requestSync()
        }
        _ = image
        await pruneAttempts(of: name, keeping: attempt)
    }

    /// The postStart hook runs before the next container starts; if it fails
    /// the container is killed and its restart policy decides what follows.
    private func runPostStart(_ spec: JSONValue, containerID: String, field: String) async {
        let hook = spec["lifecycle"]["postStart"]
        guard !hook.isNull else { return }
        let result = await context.prober.run(
            ProbeSpec(hook: hook, container: spec, timeout: .seconds(30)), containerID: containerID, podIP: await podIP())
        guard case .failure(let message) = result else { return }
        context.events.post(
            pod, type: "Warning", reason: "FailedPostStartHook", message: "PostStartHook failed: \(message)", fieldPath: field)
        try? await context.runtime.stopContainer(containerID, timeout: gracePeriod())
    }

    /// "Present or fail clearly": there is no registry to pull from, so a
    /// missing image makes the container wait with ErrImageNeverPull (policy
    /// Never) or ErrImagePull/ImagePullBackOff, and it starts once imported.
    private func imagePresent(_ spec: JSONValue, name: String, field: String) async -> Bool {
        let image = spec["image"].stringValue ?? ""
        let policy = spec["imagePullPolicy"].stringValue ?? "IfNotPresent"
        let store = context.runtime.images
        let found = (try? await Blocking.run { (try? store.resolve(reference: image)) != nil }) ?? false
        if found {
            if waiting[name] != nil || !announcedImage.contains(name) {
                announcedImage.insert(name)
                context.events.post(
                    pod, reason: "Pulled", message: "Container image \"\(image)\" already present on machine", fieldPath: field)
            }
            return true
        }
        let reason: WaitingReason
        if policy == "Never" {
            reason = WaitingReason("ErrImageNeverPull", "Container image \"\(image)\" is not present with pull policy of Never")
        } else if waiting[name]?.reason == "ErrImagePull" || waiting[name]?.reason == "ImagePullBackOff" {
            reason = WaitingReason("ImagePullBackOff", "Back-off pulling image \"\(image)\"")
        } else {
            reason = WaitingReason(
                "ErrImagePull",
                "image \"\(image)\" is not present on this node and Skiff pulls from no registry: import it with `skiff image import`")
        }
        if waiting[name] != reason {
            context.events.post(
                pod, type: "Warning", reason: reason.reason == "ImagePullBackOff" ? "BackOff" : (policy == "Never" ? "ErrImageNeverPull" : "Failed"),
                message: reason.message ?? "", fieldPath: field)
        }
        waiting[name] = reason
        return false
    }

    /// The pod as the downward API sees it: with the addresses it has now.
    func podWithAddresses() async -> JSONValue {
        var copy = pod
        copy[path: ["status", "hostIP"]] = .string(context.config.nodeIP)
        copy[path: ["status", "hostIPs"]] = [["ip": .string(context.config.nodeIP)]]
        if let ip = await podIP() {
            copy[path: ["status", "podIP"]] = .string(ip)
            copy[path: ["status", "podIPs"]] = [["ip": .string(ip)]]
        }
        return copy
    }

    func podIP() async -> String? {
        if pod["spec"]["hostNetwork"].boolValue == true { return context.config.nodeIP }
        guard let sandboxID else { return nil }
        return (try? await context.runtime.podSandboxStatus(sandboxID))?.network?.ip
    }

    /// Keeps the latest attempt and the one before it (for `logs --previous`).
    private func pruneAttempts(of name: String, keeping attempt: Int) async {
        guard let sandboxID else { return }
        let old = await context.runtime.listContainers(podID: sandboxID)
            .filter { $0.config.name == name && Int($0.config.attempt) < attempt - 1 }
        for record in old {
            try? await context.runtime.removeContainer(record.id)
            readiness[record.id] = nil
            startup[record.id] = nil
            exitsSeen.remove(record.id)
        }
    }

    /// A failed liveness (or startup) probe: kill with the grace period, and let the
    /// restart policy decide what comes next.
    func killForProbe(_ spec: JSONValue, _ record: ContainerRecord, reason: String) async {
        let name = record.config.name
        context.events.post(
            pod, reason: "Killing", message: "Container \(name) \(reason), will be restarted",
            fieldPath: fieldPath(name, false))
        stopProbes(record.id)
        await stopGracefully(record, spec: spec, grace: gracePeriod(probe: spec[reason.contains("startup") ? "startupProbe" : "livenessProbe"]))
        requestSync()
    }

    func gracePeriod(probe: JSONValue = .null) -> Duration {
        .seconds(max(0, probe["terminationGracePeriodSeconds"].int64Value
            ?? pod["spec"]["terminationGracePeriodSeconds"].int64Value ?? 30))
    }
}
