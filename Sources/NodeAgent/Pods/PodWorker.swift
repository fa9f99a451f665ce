import Foundation
import Logging
import NodeRuntime
import SkiffAPI
import StartTrace

/// Makes one pod real and keeps it so: sandbox, volumes, init containers in
/// order, app containers with their restart policy and back-off, probes,
/// status and, at the end, graceful termination. Every trigger (a pod update,
/// a container exit, a probe result, a timer) only asks for a sync; syncs run
/// one at a time and each one looks at the whole pod afresh, as kubelet's do.
package actor PodWorker {
    package nonisolated let uid: String
    package nonisolated let namespace: String
    package nonisolated let name: String
    let context: PodWorkerContext
    var log: Logger { context.log }

    var pod: JSONValue
    var sandboxID: String?
    var volumePaths: [String: String]?
    /// Why a container is not running (by container name).
    var waiting: [String: WaitingReason] = [:]
    var backoffs: [String: RestartBackoff] = [:]
    /// When a crashed container may start again (by container name).
    var restartAt: [String: ContinuousClock.Instant] = [:]
    /// Probe state, by container id.
    var readiness: [String: Bool] = [:]
    var startup: [String: Bool] = [:]
    var livenessKill: [String: String] = [:]
    var probeTasks: [String: [Task<Void, Never>]] = [:]
    /// Container name by container id, for the probes' events.
    var probeContainerNames: [String: String] = [:]
    /// Container ids whose exit has been handled (events, back-off).
    var exitsSeen: Set<String> = []
    /// Containers whose image presence has been reported (the Pulled event).
    var announcedImage: Set<String> = []
    var lastStatus: JSONValue?
    var startTime: Date?
    var podFailure: (reason: String, message: String)?
    /// The last FailedMount message (reported once until it changes).
    var mountFailure: String?

    private var syncing = false
    private var dirty = false
    private var timer: Task<Void, Never>?
    private var wakeAt: ContinuousClock.Instant?
    /// Set once the pod is to go: its grace period and whether to delete it from the API afterwards.
    var termination: (grace: Duration, deleteObject: Bool)?
    package private(set) var finished = false
    private let onFinished: @Sendable (String) async -> Void

    package init(
        pod: JSONValue, sandboxID: String?, context: PodWorkerContext,
        onFinished: @escaping @Sendable (String) async -> Void
    ) {
        self.uid = pod.metadata.uid ?? ""
        self.namespace = pod.metadata.namespace ?? "default"
        self.name = pod.metadata.name ?? ""
        self.pod = pod
        self.sandboxID = sandboxID
        self.context = context
        self.onFinished = onFinished
        if sandboxID == nil { StartTrace.mark("agent.seen", namespace: namespace, name: name) }
        self.lastStatus = pod["status"]
        self.startTime = pod["status"]["startTime"].stringValue.flatMap(RFC3339.date)
        // A re-adopted container keeps the readiness it had: a daemon restart must
        // not take a healthy pod out of its Services until the next probe.
        for status in pod["status"]["containerStatuses"].arrayValue ?? [] {
            guard let id = status["containerID"].stringValue?.split(separator: "//").last.map(String.init) else { continue }
            if status["ready"].boolValue == true { readiness[id] = true }
            if status["started"].boolValue == true { startup[id] = true }
        }
    }

    /// A newer version of the pod from the API server.
    package func update(_ pod: JSONValue) {
        self.pod = pod
        if pod.metadata.deletionTimestamp != nil, termination == nil {
            let grace = pod["metadata"]["deletionGracePeriodSeconds"].int64Value
                ?? pod["spec"]["terminationGracePeriodSeconds"].int64Value ?? 30
            termination = (.seconds(max(0, grace)), true)
        }
        requestSync()
    }

    /// The pod is gone from the API server (deleted with no grace, or while we
    /// were down): stop it now.
    package func podDeleted() {
        if termination == nil { termination = (.seconds(1), false) } else { termination?.deleteObject = false }
        requestSync()
    }

    /// Something changed; sync soon (coalesced while a sync runs).
    package func requestSync() {
        guard !finished else { return }
        if syncing {
            dirty = true
            return
        }
        syncing = true
        Task { await self.runSyncs() }
    }

    /// Wakes the worker after `delay` (back-off ends, retries).
    /// The earliest pending wake-up wins: each sync asks again for what it still waits for.
    func syncAfter(_ delay: Duration) {
        let at = ContinuousClock.now + delay
        if let wakeAt, wakeAt > .now, wakeAt <= at, timer != nil { return }
        wakeAt = at
        timer?.cancel()
        timer = Task { [weak self] in
            try? await Task.sleep(for: delay)
            if Task.isCancelled { return }
            await self?.requestSync()
        }
    }

    private func runSyncs() async {
        repeat {
            dirty = false
            if termination != nil {
                await terminate()
            } else {
                await sync()
            }
        } while dirty && !finished
        syncing = false
    }

    func finish() async {
        finished = true
        timer?.cancel()
        await onFinished(uid)
    }

    /// Where the pod's containers' log files are.
    package func logTarget(container: String, previous: Bool) async throws -> ContainerRecord {
        let records = await context.runtime.listContainers(podID: sandboxID ?? "-")
            .filter { $0.config.name == container }
            .sorted { $0.config.attempt < $1.config.attempt }
        guard let latest = records.last else {
            throw PodStreamError.badRequest("container \"\(container)\" in pod \"\(name)\" is waiting to start: \(waiting[container]?.reason ?? "ContainerCreating")")
        }
        if previous {
            guard records.count >= 2 else {
                throw PodStreamError.badRequest("previous terminated container \"\(container)\" in pod \"\(name)\" not found")
            }
            return records[records.count - 2]
        }
        return latest
    }
}
