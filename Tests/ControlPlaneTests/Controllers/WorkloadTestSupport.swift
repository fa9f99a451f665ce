import Foundation
import SkiffAPI
import Testing

@testable import ControlPlane

/// What the workload controller tests read and write behind the API: the
/// server's own store (same SQLite file, same watch hub), so a test can look
/// at every ReplicaSet and pod without a kubectl round trip, and play the
/// kubelet (no Node is registered, so nothing else reports pod status).
struct WorkloadStore: Sendable {
    let store: ObjectStore
    let registry = ResourceRegistry.builtin

    init(_ server: StreamingTestServer) {
        store = ObjectStore(backend: server.storage)
    }

    init(_ storage: any StorageBackend) {
        store = ObjectStore(backend: storage)
    }

    func kind(_ group: String, _ plural: String) throws -> ResourceKind {
        try #require(registry.resource(group: group, version: "v1", plural: plural))
    }

    func list(_ group: String, _ plural: String, namespace: String = "default") async throws -> [JSONValue] {
        try await store.list(kind(group, plural), namespace: namespace, limit: nil, continueAfter: nil, atRevision: nil)
            .objects.map(\.object)
    }

    func get(_ group: String, _ plural: String, _ name: String, namespace: String = "default") async throws -> JSONValue? {
        try await store.get(kind(group, plural), namespace: namespace, name: name)
    }

    func deployment(_ name: String) async throws -> JSONValue {
        try #require(try await get("apps", "deployments", name))
    }

    /// The ReplicaSets controlled by deployment `name`, oldest revision first.
    func replicaSets(of name: String) async throws -> [JSONValue] {
        guard let uid = try await get("apps", "deployments", name)?.metadata.uid else { return [] }
        return try await list("apps", "replicasets").filter { $0.metadata.controllerReference?.uid == uid }
            .sorted { Self.revision($0) < Self.revision($1) }
    }

    /// Pods that are neither finished nor terminating, controlled by `owner`'s uid.
    func activePods(controlledBy uid: String?) async throws -> [JSONValue] {
        try await list("", "pods").filter { $0.metadata.controllerReference?.uid == uid && PodState.isActive($0) }
    }

    static func revision(_ replicaSet: JSONValue) -> Int {
        replicaSet.metadata.annotations["deployment.kubernetes.io/revision"].flatMap { Int($0) } ?? 0
    }

    static func replicas(_ object: JSONValue) -> Int64 {
        object["spec"]["replicas"].int64Value ?? 0
    }

    /// Marks active pods that are not Ready yet Running and Ready, as a
    /// kubelet would once their containers start (and its probes pass);
    /// `filter` picks which. Returns how many it marked.
    @discardableResult
    func markReady(limit: Int = .max, _ filter: @Sendable (JSONValue) -> Bool = { _ in true }) async throws -> Int {
        let pods = try kind("", "pods")
        let waiting = try await list("", "pods").filter { PodState.isActive($0) && !PodState.isReady($0) && filter($0) }
        var marked = 0
        for pod in waiting.prefix(limit) {
            let stamp = RFC3339.format(Date())
            var next = pod
            next["status"] = [
                "phase": "Running", "startTime": .string(stamp), "podIP": "10.88.0.9",
                "conditions": [
                    ["type": "PodScheduled", "status": "True", "lastTransitionTime": .string(stamp)],
                    ["type": "Ready", "status": "True", "lastTransitionTime": .string(stamp)],
                ],
            ]
            // A pod changed or gone meanwhile is skipped; the caller looks again.
            if await update(pods, next, from: pod) { marked += 1 }
        }
        return marked
    }

    private func update(_ pods: ResourceKind, _ next: JSONValue, from pod: JSONValue) async -> Bool {
        guard let version = pod.metadata.resourceVersion.flatMap(Int64.init) else { return false }
        return (try? await store.update(pods, next, expected: StorageRevision(version))) != nil
    }

    /// Sets a pod's phase (Succeeded/Failed), as a kubelet reports a pod whose containers ended.
    func finish(_ pod: JSONValue, phase: String) async throws {
        let version = try #require(pod.metadata.resourceVersion.flatMap(Int64.init))
        var next = pod
        next[path: ["status", "phase"]] = .string(phase)
        next[path: ["status", "conditions"]] = .null
        _ = try await store.update(kind("", "pods"), next, expected: StorageRevision(version))
    }

    /// Runs `body` while a background kubelet keeps every pod Ready
    /// (`filter` chooses which pods it serves).
    func withKubelet<T: Sendable>(
        _ filter: @escaping @Sendable (JSONValue) -> Bool = { _ in true }, _ body: () async throws -> T
    ) async throws -> T {
        let kubelet = Task {
            while !Task.isCancelled {
                _ = try? await markReady(filter)
                try? await Task.sleep(for: .milliseconds(40))
            }
        }
        defer { kubelet.cancel() }
        return try await body()
    }

}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(
    timeout: Duration = .seconds(20), every interval: Duration = .milliseconds(50), _ condition: () async throws -> Bool
) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    }
    return try await condition()
}

/// Every intermediate state of a label's pods during a rollout, replayed
/// from the store's watch one change at a time: the most pods that existed
/// at once and the fewest that were available at once, so a test can assert
/// maxSurge and maxUnavailable held at every step, not only at samples.
final class PodCensus: Sendable {
    struct Extremes: Sendable {
        var mostActive = 0
        var fewestReady = Int.max
        var events = 0
    }

    private let task: Task<Extremes, Never>

    init(_ workload: WorkloadStore, label: (String, String)) async throws {
        let pods = try workload.kind("", "pods")
        // The watch starts exactly where the list was read: no change missed, none replayed.
        let page = try await workload.store.list(pods, namespace: "default", limit: nil, continueAfter: nil, atRevision: nil)
        let initial = page.objects.map(\.object)
        let events = try await workload.store.backend.watch(
            prefix: ObjectStore.prefix(pods, namespace: "default"), fromRevision: page.revision)
        task = Task {
            var extremes = Extremes()
            var pods: [String: JSONValue] = [:]
            for pod in initial where pod.metadata.labels[label.0] == label.1 { pods[pod.metadata.name ?? ""] = pod }
            do {
                for try await event in events {
                    let name = String(event.key.split(separator: "/").last ?? "")
                    if event.kind == .deleted {
                        pods[name] = nil
                    } else if let pod = try? ObjectStore.decode(event.value, revision: event.revision),
                        pod.metadata.labels[label.0] == label.1
                    {
                        pods[name] = pod
                    }
                    let active = pods.values.filter(PodState.isActive)
                    extremes.mostActive = max(extremes.mostActive, active.count)
                    extremes.fewestReady = min(extremes.fewestReady, active.filter(PodState.isReady).count)
                    extremes.events += 1
                }
            } catch {
                return extremes
            }
            return extremes
        }
    }

    /// Stops watching; what was seen until now.
    func finish() async -> Extremes {
        // Let the watch deliver what is already committed before stopping it.
        try? await Task.sleep(for: .milliseconds(200))
        task.cancel()
        return await task.value
    }
}
