import Dataplane
import NodeRuntime
import SkiffAPI

/// Decides the `status.loadBalancer` of LoadBalancer Services from the
/// configured pool: an address already in a status is taken back (so a
/// restart changes nothing), a Service without one gets the lowest free
/// address, and a Service that stops being a LoadBalancer (or goes) gives its
/// address back. Returns the status patches to write; the proxy forwards the
/// address once the patched Service comes back through the watch.
struct LoadBalancerAssigner {
    private var pool: LoadBalancerPool

    init(network: IPv4Network) {
        pool = LoadBalancerPool(network: network)
    }

    /// A status patch for one Service, or an error to log.
    enum Outcome: Equatable {
        case patch(ServiceID, JSONValue)
        case failed(String)
    }

    /// After a relist: every held address is restored before any is handed
    /// out, so a new Service never takes one an old Service already shows.
    mutating func relisted(_ services: [JSONValue]) -> [Outcome] {
        pool = LoadBalancerPool(network: pool.network)
        var outcomes: [Outcome] = []
        for service in services { outcomes += restore(service) }
        for service in services { outcomes += changed(service) }
        return outcomes
    }

    mutating func changed(_ service: JSONValue) -> [Outcome] {
        guard let id = ServiceTranslator.id(of: service) else { return [] }
        let held = Self.poolAddresses(service, in: pool.network)
        guard service["spec"]["type"].stringValue == "LoadBalancer", service.metadata.deletionTimestamp == nil else {
            pool.release(id)
            // Ours, on a Service that is no longer a LoadBalancer: clear it.
            return held.isEmpty ? [] : [.patch(id, ["status": ["loadBalancer": [:]]])]
        }
        if !held.isEmpty { return restore(service) }
        // Another implementation's: it names its class, or already wrote an
        // address of its own.
        let ingress = service["status"]["loadBalancer"]["ingress"].arrayValue ?? []
        guard service["spec"]["loadBalancerClass"].stringValue == nil, ingress.isEmpty else { return [] }
        do {
            let address = try pool.address(for: id)
            return [.patch(id, ["status": ["loadBalancer": ["ingress": [["ip": .string("\(address)"), "ipMode": "VIP"]]]]])]
        } catch {
            return [.failed("\(error)")]
        }
    }

    mutating func deleted(_ service: JSONValue) {
        if let id = ServiceTranslator.id(of: service) { pool.release(id) }
    }

    private mutating func restore(_ service: JSONValue) -> [Outcome] {
        guard let id = ServiceTranslator.id(of: service), service["spec"]["type"].stringValue == "LoadBalancer" else { return [] }
        var outcomes: [Outcome] = []
        for address in Self.poolAddresses(service, in: pool.network) {
            do {
                try pool.restore(address, for: id)
            } catch {
                outcomes.append(.failed("\(error)"))
            }
        }
        return outcomes
    }

    private static func poolAddresses(_ service: JSONValue, in network: IPv4Network) -> [IPv4Address] {
        (service["status"]["loadBalancer"]["ingress"].arrayValue ?? []).compactMap { ingress in
            ingress["ip"].stringValue.flatMap { try? IPv4Address(parsing: $0) }
        }.filter { network.contains($0) }
    }
}
