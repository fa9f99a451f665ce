import Foundation
import Logging
import NodeRuntime
import SkiffAPI

/// Skiff's kubelet: registers the node, runs the pods bound to it through the
/// runtime (one `PodWorker` each), and serves their logs and exec. A restart
/// re-adopts what the previous process left running: the runtime recovers its
/// sandboxes and containers, and the first pod list pairs them with their pods
/// by uid; sandboxes whose pod is gone are removed.
package actor NodeAgent {
    package nonisolated let config: NodeAgentConfig
    private let runtime: RuntimeService
    package nonisolated var runtimeService: RuntimeService { runtime }
    private let api: AgentAPI
    private let log: Logger
    private let registrar: NodeRegistrar
    private let source: PodSource
    private let provisioner: LocalPathProvisioner
    private let context: PodWorkerContext
    private var workers: [String: PodWorker] = [:]
    /// Sandboxes the runtime had at start, by pod uid, until the first pod list adopts them.
    private var orphans: [String: String] = [:]
    private var tasks: [Task<Void, Never>] = []

    package init(config: NodeAgentConfig, runtime: RuntimeService, api: AgentAPI, logger: Logger) {
        self.config = config
        self.runtime = runtime
        self.api = api
        self.log = logger
        let facts = NodeFacts.read(dataDirectory: config.podsDirectory)
        let store = runtime.images
        registrar = NodeRegistrar(
            api: api, config: config, facts: facts,
            images: { ((try? store.list()) ?? []).map { (names: $0.repoTags, size: $0.size) } }, logger: logger)
        source = PodSource(api: api, nodeName: config.nodeName, logger: logger)
        provisioner = LocalPathProvisioner(api: api, storage: LocalPathStorage(root: config.storageDirectory), nodeName: config.nodeName, logger: logger)
        let objects = APIObjectSource(api: api)
        let allocatable: NodeAllocatable = (cpuMillis: Int64(facts.cpus) * 1000, memoryBytes: facts.memoryBytes)
        context = PodWorkerContext(
            runtime: runtime, api: api, events: EventRecorder(api: api, nodeName: config.nodeName, logger: logger),
            config: config,
            volumes: PodVolumeManager(
                podsDirectory: config.podsDirectory, api: api, objects: objects, allocatable: allocatable),
            factory: ContainerFactory(objects: objects, allocatable: allocatable),
            prober: ProbeRunner(runtime: runtime, nodeNetnsPath: config.nodeNetnsPath), log: logger)
    }

    /// Registers the node (retrying until the API server answers), then starts
    /// following the pods bound to it.
    package func start() async {
        while !Task.isCancelled {
            do {
                try await registrar.register()
                break
            } catch {
                log.warning("node registration failed; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
        await registrar.startHeartbeat()
        for sandbox in await runtime.listPodSandboxes() { orphans[sandbox.config.uid] = sandbox.id }
        await source.start { [weak self] change in await self?.handle(change) }
        await provisioner.start()
        let runtime = self.runtime
        tasks.append(Task { [weak self] in
            for await event in runtime.events {
                await self?.runtimeEvent(event)
            }
        })
        let interval = config.resyncInterval
        tasks.append(Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await self?.resyncAll()
            }
        })
    }

    /// Stops following the API; pods keep running for the next process to adopt.
    package func stop() async {
        await source.stop()
        await registrar.stop()
        await provisioner.stop()
        for task in tasks { task.cancel() }
        tasks.removeAll()
    }

    private func handle(_ change: PodSource.Change) async {
        switch change {
        case .synced(let pods):
            for pod in pods { await upsert(pod) }
            let wanted = Set(pods.compactMap(\.metadata.uid))
            for (uid, sandboxID) in orphans where !wanted.contains(uid) {
                log.info("removing the sandbox of a pod that no longer exists", metadata: ["uid": "\(uid)"])
                try? await runtime.removePodSandbox(sandboxID)
                try? await context.volumes.tearDown(uid: uid)
            }
            orphans.removeAll()
        case .upsert(let pod):
            await upsert(pod)
        case .deleted(let pod):
            if let uid = pod.metadata.uid, let worker = workers[uid] { await worker.podDeleted() }
        }
    }

    private func upsert(_ pod: JSONValue) async {
        guard let uid = pod.metadata.uid else { return }
        if let worker = workers[uid] {
            await worker.update(pod)
            return
        }
        let phase = pod["status"]["phase"].stringValue
        let adopted = orphans.removeValue(forKey: uid)
        // A finished pod this process never ran has nothing left to do here, unless it is being deleted.
        if adopted == nil, phase == "Succeeded" || phase == "Failed", pod.metadata.deletionTimestamp == nil { return }
        let worker = PodWorker(pod: pod, sandboxID: adopted, context: context) { [weak self] uid in
            await self?.workerFinished(uid)
        }
        workers[uid] = worker
        await worker.update(pod)
    }

    private func workerFinished(_ uid: String) {
        workers[uid] = nil
    }

    private func runtimeEvent(_ event: RuntimeEvent) async {
        let id: String
        switch event {
        case .containerStarted(let containerID): id = containerID
        case .containerExited(let containerID, _, _): id = containerID
        }
        guard let record = try? await runtime.containerStatus(id),
            let sandbox = try? await runtime.podSandboxStatus(record.podID),
            let worker = workers[sandbox.config.uid]
        else { return }
        await worker.requestSync()
    }

    private func resyncAll() async {
        for worker in workers.values { await worker.requestSync() }
    }

    /// The worker of a pod, for logs and exec.
    package func worker(namespace: String, name: String, uid: String?) -> PodWorker? {
        if let uid, let worker = workers[uid] { return worker }
        return workers.values.first { $0.namespace == namespace && $0.name == name }
    }

    package var podCount: Int { workers.count }
}
