import Dataplane
import Logging
import SkiffAPI
import SkiffClient

/// Our kube-proxy: lists and watches Services and EndpointSlices over HTTPS
/// and keeps the node's `ServiceProxy` programmed with them. The first sync
/// waits until both kinds are listed, then programs everything at once
/// (taking over rules a previous run left in place); after that each event
/// re-translates the one Service it touches and programs only that Service;
/// a relist (after a watch expired) replaces the whole state.
///
/// Events from both watches go through one queue to one consumer, so
/// changes reach the dataplane in the order they happened.
package struct NodeProxy: Sendable {
    package let config: NodeProxyConfig
    package let dataplane: any ServiceProgrammer
    /// What is programmed now, for whoever must wait for the dataplane to
    /// catch up (the node agent stopping a pod).
    package let endpoints = ProgrammedEndpoints()
    private let api: ProxyAPI
    private let logger: Logger

    package init(config: NodeProxyConfig, dataplane: any ServiceProgrammer, transport: any APITransport, logger: Logger) {
        self.config = config
        self.dataplane = dataplane
        self.api = ProxyAPI(transport: transport)
        self.logger = logger
    }

    /// Runs until the task is cancelled. Leaves the rules in place: stopping
    /// the dataplane is the caller's (a restart keeps forwarding, as
    /// kube-proxy does).
    package func run() async {
        let (updates, queue) = AsyncStream.makeStream(of: ResourceUpdate.self)
        await withTaskGroup(of: Void.self) { group in
            for (kind, path) in [(ResourceUpdate.Kind.services, "/api/v1/services"), (.slices, "/apis/discovery.k8s.io/v1/endpointslices")] {
                let watch = ResourceWatch(kind: kind, path: path, api: api, logger: logger)
                group.addTask { await watch.run { queue.yield($0) } }
            }
            group.addTask { await consume(updates) }
            await group.waitForAll()
        }
    }

    private func consume(_ updates: AsyncStream<ResourceUpdate>) async {
        var inventory = ProxyInventory()
        var programmed: [ServiceID: ServiceSpec] = [:]
        var started = false
        var assigner = config.loadBalancerCIDR.map(LoadBalancerAssigner.init(network:))
        let translator = ServiceTranslator(nodeName: config.nodeName, podCIDRs: dataplane.podCIDRs)
        for await update in updates {
            let effect = inventory.apply(update)
            if var pool = assigner {
                await assignLoadBalancers(update, inventory: inventory, assigner: &pool)
                assigner = pool
            }
            guard inventory.complete else { continue }
            if !started || effect == .everything {
                programmed = await syncAll(inventory, translator: translator, first: !started)
                endpoints.update(programmed, inventory: inventory)
                started = true
                continue
            }
            guard case .services(let ids) = effect else { continue }
            for id in ids.sorted() {
                let wanted = inventory.services[id].flatMap { translator.spec(for: $0, slices: inventory.slices(of: id)) }
                guard wanted != programmed[id] else { continue }
                do {
                    if let wanted {
                        let seconds = try await dataplane.program(wanted)
                        programmed[id] = wanted
                        logger.debug("service programmed", metadata: [
                            "service": "\(id)", "endpoints": "\(wanted.endpoints.filter(\.ready).count)",
                            "seconds": "\(seconds)",
                        ])
                    } else {
                        _ = try await dataplane.unprogram(id)
                        programmed[id] = nil
                        logger.debug("service removed", metadata: ["service": "\(id)"])
                    }
                } catch {
                    logger.warning("service not programmed", metadata: ["service": "\(id)", "error": "\(error)"])
                }
            }
            endpoints.update(programmed, inventory: inventory)
        }
    }

    /// Programs every Service at once. One the dataplane refuses (a NodePort
    /// another Service holds, say) is left out and logged, and the rest are
    /// programmed: one bad Service never blocks the node's others.
    private func syncAll(_ inventory: ProxyInventory, translator: ServiceTranslator, first: Bool) async -> [ServiceID: ServiceSpec] {
        var specs: [ServiceID: ServiceSpec] = [:]
        for (id, service) in inventory.services {
            if let spec = translator.spec(for: service, slices: inventory.slices(of: id)) { specs[id] = spec }
        }
        while true {
            let ordered = specs.keys.sorted().compactMap { specs[$0] }
            do {
                let seconds = try await dataplane.programAll(ordered, first: first)
                logger.info("services synced", metadata: [
                    "services": "\(ordered.count)", "backend": "\(dataplane.backendName)", "seconds": "\(seconds)",
                ])
                return specs
            } catch .invalid(let service, let field, let message) {
                logger.warning("service not programmed", metadata: [
                    "service": "\(service)", "error": "\(DataplaneError.invalid(service: service, field: field, message: message))",
                ])
                if specs.removeValue(forKey: service) == nil {
                    // Not one of ours: nothing to leave out, so retry as after any failure.
                    try? await Task.sleep(for: .seconds(1))
                    if Task.isCancelled { return [:] }
                }
            } catch {
                logger.error("full sync failed; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
                if Task.isCancelled { return [:] }
            }
        }
    }

    /// Hands out and writes LoadBalancer addresses for what `update` changed.
    private func assignLoadBalancers(_ update: ResourceUpdate, inventory: ProxyInventory, assigner: inout LoadBalancerAssigner) async {
        let outcomes: [LoadBalancerAssigner.Outcome]
        switch update {
        case .listed(.services, let items): outcomes = assigner.relisted(items)
        case .changed(.services, let service): outcomes = assigner.changed(service)
        case .deleted(.services, let service):
            assigner.deleted(service)
            outcomes = []
        default: outcomes = []
        }
        for outcome in outcomes {
            switch outcome {
            case .patch(let id, let patch):
                do {
                    try await api.mergePatch("/api/v1/namespaces/\(id.namespace)/services/\(id.name)/status", patch)
                } catch {
                    logger.warning("load balancer status not written", metadata: ["service": "\(id)", "error": "\(error)"])
                }
            case .failed(let message):
                logger.warning("load balancer address not assigned: \(message)")
            }
        }
    }
}
