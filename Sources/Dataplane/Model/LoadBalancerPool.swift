import NodeRuntime

/// Addresses for `type: LoadBalancer` Services, taken from a configured
/// range as k3s's built-in load balancer hands out node addresses: the
/// controller that wires the proxy to the API server asks the pool, writes
/// the address to `status.loadBalancer.ingress`, and passes it to the proxy
/// among the Service's `externalIPs`.
///
/// Assignments are stable: a Service keeps its address for as long as it
/// holds it, and `restore` takes back the ones already written to statuses
/// after a restart, so no two Services ever share one.
package struct LoadBalancerPool: Sendable {
    package enum Failure: Error, Equatable, CustomStringConvertible {
        case exhausted(pool: String, service: ServiceID)
        case outside(pool: String, service: ServiceID, ip: IPv4Address)
        case taken(service: ServiceID, ip: IPv4Address, by: ServiceID)

        package var description: String {
            switch self {
            case .exhausted(let pool, let service):
                "service \"\(service)\": no free load balancer address in \(pool)"
            case .outside(let pool, let service, let ip):
                "service \"\(service)\": status.loadBalancer.ingress[0].ip: Invalid value: \"\(ip)\": not in the load balancer pool \(pool)"
            case .taken(let service, let ip, let owner):
                "service \"\(service)\": load balancer address \(ip) is already assigned to \(owner)"
            }
        }
    }

    package let network: IPv4Network
    private var byService: [ServiceID: IPv4Address] = [:]
    private var byAddress: [IPv4Address: ServiceID] = [:]

    package init(network: IPv4Network) {
        self.network = network
    }

    /// The address `service` holds, assigning the lowest free one first.
    package mutating func address(for service: ServiceID) throws(Failure) -> IPv4Address {
        if let held = byService[service] { return held }
        var candidate = network.firstHost
        while network.contains(candidate) && candidate <= network.lastHost {
            if byAddress[candidate] == nil {
                byService[service] = candidate
                byAddress[candidate] = service
                return candidate
            }
            candidate = IPv4Address(candidate.value &+ 1)
        }
        throw .exhausted(pool: network.description, service: service)
    }

    /// Takes back an address already written to a Service's status.
    package mutating func restore(_ ip: IPv4Address, for service: ServiceID) throws(Failure) {
        guard network.contains(ip) else { throw .outside(pool: network.description, service: service, ip: ip) }
        if let owner = byAddress[ip], owner != service { throw .taken(service: service, ip: ip, by: owner) }
        if let previous = byService[service], previous != ip { byAddress[previous] = nil }
        byService[service] = ip
        byAddress[ip] = service
    }

    /// Gives the address back (the Service was deleted or is no longer a LoadBalancer).
    package mutating func release(_ service: ServiceID) {
        if let ip = byService.removeValue(forKey: service) { byAddress[ip] = nil }
    }

    package var assigned: Int { byService.count }
}
