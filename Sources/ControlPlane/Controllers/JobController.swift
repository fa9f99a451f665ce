import Foundation
import Logging
import SkiffAPI

/// Runs a Job's pods to completion, as kube-controller-manager's job
/// controller does: up to `parallelism` pods at a time until `completions`
/// succeeded (or, without completions, until one succeeded and the others
/// finished; with `completionMode: Indexed`, until every index succeeded), a
/// Failed Job past `backoffLimit` or `activeDeadlineSeconds`, `suspend`, and
/// the ttl-after-finished controller's deletion of finished Jobs. Not done:
/// `podFailurePolicy`, `successPolicy`, `backoffLimitPerIndex`, CronJobs.
///
/// Counting is restart-safe without the `batch.kubernetes.io/job-tracking`
/// finalizer: finished pods are never deleted while the Job runs, so the
/// succeeded and failed counts are read again from the pods still present
/// on every pass and only ever raised (`max` with the stored status), and a
/// pod is never counted twice. Deleting a finished pod of a running Job by
/// hand can therefore make it count one pod less than Kubernetes would.
struct JobController: Sendable {
    let handler: ResourceHandler
    let logger: Logger

    private var access: ControllerAccess { ControllerAccess(handler: handler, component: "job-controller") }

    func run() async {
        guard let jobs = access.resource("batch", "jobs"), let pods = access.pods else { return }
        while !Task.isCancelled {
            let passStarted = ContinuousClock.now
            do {
                let (jobList, revision) = try await access.list(jobs)
                let podList = jobList.isEmpty ? [] : try await access.list(pods).objects
                let byOwner = Dictionary(grouping: podList) { $0.metadata.controllerReference?.uid ?? "" }
                var wake: Date?
                for job in jobList where job.metadata.deletionTimestamp == nil {
                    let owned = byOwner[job.metadata.uid ?? "-"] ?? []
                    do {
                        if let next = try await sync(job, pods: owned, jobs: jobs) { wake = min(wake ?? next, next) }
                    } catch {
                        // One Job the store refuses does not hold up the others; the next pass retries it.
                        logger.warning("job controller: \(job.metadata.name ?? ""): \(error)")
                        wake = handler.now().addingTimeInterval(1)
                    }
                }
                try await handler.waitForChange(ofAny: [jobs, pods], after: revision, timeout: ControllerPacing.timeout(until: wake, now: handler.now(), cap: .seconds(30)), settle: ControllerPacing.settle(after: .now - passStarted))
            } catch {
                if Task.isCancelled { return }
                logger.warning("job controller: \(error)")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// One Job: returns when it must be looked at again although nothing
    /// changes (a deadline, a backoff, a TTL), nil when only events matter.
    private func sync(_ job: JSONValue, pods: [JSONValue], jobs: ResourceKind) async throws(APIStatus) -> Date? {
        let now = handler.now()
        var status = JobStatus(job)
        if status.isFinished { return try await finished(job, status: status, pods: pods, jobs: jobs, now: now) }
        let spec = job["spec"]
        let active = pods.filter(PodState.isActive)
        status.count(pods: pods)
        var wake: Date?

        if spec["suspend"].boolValue == true {
            try await deletePods(active, of: job)
            status.active = 0
            status.ready = 0
            if status.setCondition("Suspended", "True", reason: "JobSuspended", message: "Job suspended", now: now) {
                await access.event(job, reason: "Suspended", message: "Job suspended")
            }
            try await write(job, status, jobs: jobs)
            return nil
        }
        if status.isTrue("Suspended") {
            status.setCondition("Suspended", "False", reason: "JobResumed", message: "Job resumed", now: now)
            status.startTime = now
            await access.event(job, reason: "Resumed", message: "Job resumed")
        }
        if status.startTime == nil { status.startTime = now }

        if let target = status.interimCondition ?? terminalReason(job, status: status, pods: active, now: now, wake: &wake) {
            // As in 1.32: the interim condition first, the terminal one once no pod runs.
            if status.setCondition(target.interim, "True", reason: target.reason, message: target.message, now: now) {
                await access.event(job, type: target.interim == "FailureTarget" ? "Warning" : "Normal",
                                   reason: target.interim == "FailureTarget" ? target.reason : "Completed",
                                   message: target.interim == "FailureTarget" ? target.message : "Job completed")
            }
            try await deletePods(active, of: job)
            status.active = 0
            status.ready = 0
            if active.isEmpty, status.terminating == 0 {
                status.setCondition(target.terminal, "True", reason: target.reason, message: target.message, now: now)
                if target.terminal == "Complete" { status.completionTime = now }
            }
            try await write(job, status, jobs: jobs)
            return nil
        }

        if let completed = status.completedIndexes, let completions = spec["completions"].int64Value {
            status.active = try await manageIndexed(job, active: active, completed: completed, completions: Int(completions),
                                                    pods: pods, now: now, wake: &wake)
        } else {
            status.active = try await manage(job, active: active, succeeded: status.succeeded, pods: pods, now: now, wake: &wake)
        }
        try await write(job, status, jobs: jobs)
        return wake
    }

    /// Non-indexed: `parallelism` pods at a time while completions remain;
    /// returns how many are active now.
    private func manage(_ job: JSONValue, active: [JSONValue], succeeded: Int, pods: [JSONValue], now: Date, wake: inout Date?)
        async throws(APIStatus) -> Int
    {
        let spec = job["spec"]
        let parallelism = Int(spec["parallelism"].int64Value ?? 1)
        let wanted: Int
        if let completions = spec["completions"].int64Value {
            wanted = max(0, min(parallelism, Int(completions) - succeeded))
        } else {
            wanted = succeeded > 0 ? active.count : parallelism
        }
        if active.count > wanted {
            // The ones not ready yet go first, then the youngest.
            let surplus = active.sorted { a, b in
                let (ra, rb) = (PodState.isReady(a), PodState.isReady(b))
                if ra != rb { return !ra }
                return (a.metadata.creationTimestamp ?? "") > (b.metadata.creationTimestamp ?? "")
            }.prefix(active.count - wanted)
            try await deletePods(Array(surplus), of: job)
            return wanted
        }
        guard active.count < wanted else { return active.count }
        if let until = Self.backoffUntil(pods), until > now {
            wake = min(wake ?? until, until)
            return active.count
        }
        var count = active.count
        for _ in 0..<(wanted - active.count) {
            guard try await createPod(for: job, index: nil) else { break }
            count += 1
        }
        return count
    }

    /// Indexed: one pod per index not yet succeeded, lowest first, at most
    /// `parallelism`; pods of finished, unknown or doubled indexes go.
    private func manageIndexed(
        _ job: JSONValue, active: [JSONValue], completed: Set<Int>, completions: Int, pods: [JSONValue], now: Date,
        wake: inout Date?
    ) async throws(APIStatus) -> Int {
        var running = Set<Int>()
        var surplus: [JSONValue] = []
        for pod in active.sorted(by: { ($0.metadata.creationTimestamp ?? "") < ($1.metadata.creationTimestamp ?? "") }) {
            guard let index = JobIndexes.index(of: pod), index < completions, !completed.contains(index),
                !running.contains(index)
            else {
                surplus.append(pod)
                continue
            }
            running.insert(index)
        }
        try await deletePods(surplus, of: job)
        let parallelism = Int(job["spec"]["parallelism"].int64Value ?? 1)
        let pending = (0..<completions).filter { !completed.contains($0) && !running.contains($0) }
        let room = max(0, parallelism - running.count)
        guard room > 0, !pending.isEmpty else { return running.count }
        if let until = Self.backoffUntil(pods), until > now {
            wake = min(wake ?? until, until)
            return running.count
        }
        var count = running.count
        for index in pending.prefix(room) {
            guard try await createPod(for: job, index: index) else { break }
            count += 1
        }
        return count
    }

    /// One pod from the Job's template (`<job>-<5 random>`, or
    /// `<job>-<index>-<5 random>` for an index); false when it could not be made.
    private func createPod(for job: JSONValue, index: Int?) async throws(APIStatus) -> Bool {
        guard let name = job.metadata.name, let namespace = job.metadata.namespace else { return false }
        let created: JSONValue?
        do {
            created = try await access.createPod(
                from: job["spec"]["template"], owner: job, namespace: namespace,
                generateName: index.map { "\(name)-\($0)-" } ?? "\(name)-",
                mutate: { pod in if let index { JobIndexes.assign(index, job: name, to: &pod) } })
        } catch {
            await access.event(job, type: "Warning", reason: "FailedCreate", message: "Error creating: \(error.message)")
            return false
        }
        guard let pod = created else { return false }
        await access.event(job, reason: "SuccessfulCreate", message: "Created pod: \(pod.metadata.name ?? "")")
        return true
    }

    private func terminalReason(_ job: JSONValue, status: JobStatus, pods active: [JSONValue], now: Date, wake: inout Date?)
        -> JobOutcome?
    {
        let spec = job["spec"]
        let backoffLimit = Int(spec["backoffLimit"].int64Value ?? 6)
        if status.failed > backoffLimit { return .backoffLimit }
        if spec["template"]["spec"]["restartPolicy"].stringValue == "OnFailure" {
            // Kubernetes counts container restarts of pending and running pods against the limit.
            var restarts = 0
            for pod in active where ["Pending", "Running"].contains(pod["status"]["phase"].stringValue ?? "") {
                let statuses: [JSONValue] = (pod["status"]["containerStatuses"].arrayValue ?? [])
                    + (pod["status"]["initContainerStatuses"].arrayValue ?? [])
                for container in statuses { restarts += Int(container["restartCount"].int64Value ?? 0) }
            }
            if backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit { return .backoffLimit }
        }
        if let seconds = spec["activeDeadlineSeconds"].int64Value, let start = status.startTime {
            let deadline = start.addingTimeInterval(TimeInterval(seconds))
            if deadline <= now { return .deadline }
            wake = min(wake ?? deadline, deadline)
        }
        // Success is looked at after failure, as Kubernetes does.
        if let completions = spec["completions"].int64Value {
            if status.succeeded >= Int(completions) { return .completed }
        } else if status.succeeded > 0, active.isEmpty {
            return .completed
        }
        return nil
    }

    /// A finished Job: nothing runs any more, and after `ttlSecondsAfterFinished`
    /// it goes with its pods (the ttl-after-finished controller's part).
    private func finished(_ job: JSONValue, status: JobStatus, pods: [JSONValue], jobs: ResourceKind, now: Date)
        async throws(APIStatus) -> Date?
    {
        try await deletePods(pods.filter(PodState.isActive), of: job)
        guard let ttl = job["spec"]["ttlSecondsAfterFinished"].int64Value, let finishedAt = status.finishedAt else { return nil }
        let expiry = finishedAt.addingTimeInterval(TimeInterval(ttl))
        guard expiry <= now else { return expiry }
        guard let name = job.metadata.name else { return nil }
        // Foreground, as the TTL controller deletes: the Job stays until its pods are gone.
        let options = DeleteOptions(propagation: .foreground, gracePeriodSeconds: nil, preconditionUID: job.metadata.uid,
                                    preconditionResourceVersion: nil)
        do {
            _ = try await handler.deleteObject(Scope(resource: jobs, namespace: job.metadata.namespace), name: name, options: options)
            logger.info("deleted finished job after its TTL", metadata: ["job": "\(name)"])
        } catch where error.code == 404 || error.code == 409 {
            return nil
        }
        return nil
    }

    private func deletePods(_ pods: [JSONValue], of job: JSONValue) async throws(APIStatus) {
        guard let resource = access.pods else { return }
        for pod in pods {
            guard let name = pod.metadata.name else { continue }
            try await access.delete(resource, namespace: pod.metadata.namespace, name: name, uid: pod.metadata.uid)
            await access.event(job, reason: "SuccessfulDelete", message: "Deleted pod: \(name)")
        }
    }

    private func write(_ job: JSONValue, _ status: JobStatus, jobs: ResourceKind) async throws(APIStatus) {
        let next = status.json
        guard next != job["status"] else { return }
        var updated = job
        updated["status"] = next
        try await access.writeStatus(jobs, current: job, next: updated)
    }

    /// When the next pod may start after failures: 10s doubled for each
    /// failure since the last success, at most 10 minutes, from the last
    /// failure (Kubernetes' pod failure backoff), nil without failures.
    static func backoffUntil(_ pods: [JSONValue]) -> Date? {
        let lastSuccess = pods.filter { $0["status"]["phase"].stringValue == "Succeeded" }.compactMap(finishTime).max()
        let failures = pods.filter { $0["status"]["phase"].stringValue == "Failed" }.compactMap(finishTime)
            .filter { lastSuccess == nil || $0 > lastSuccess ?? .distantPast }
        guard let last = failures.max() else { return nil }
        let delay = min(600, 10 * pow(2, Double(min(failures.count - 1, 10))))
        return last.addingTimeInterval(delay)
    }

    /// When the pod's last container finished (its creation when unknown).
    static func finishTime(_ pod: JSONValue) -> Date? {
        let statuses = (pod["status"]["containerStatuses"].arrayValue ?? []) + (pod["status"]["initContainerStatuses"].arrayValue ?? [])
        let finished = statuses.compactMap { $0["state"]["terminated"]["finishedAt"].stringValue.flatMap(RFC3339.date) }
        return finished.max() ?? pod.metadata.creationTimestamp.flatMap(RFC3339.date)
    }
}
