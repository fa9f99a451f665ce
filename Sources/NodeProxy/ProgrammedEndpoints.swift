import Dataplane
import SkiffAPI
import Synchronization

/// The pod IPs the node's proxy sends new connections to as ready
/// endpoints, as last programmed into the dataplane. The node agent waits on
/// it before stopping a deleted pod: once the proxy has programmed the pod
/// as terminating (or gone), no new connection reaches it, even when it is
/// still a fallback for a Service with no ready endpoint left.
package final class ProgrammedEndpoints: Sendable {
    private let ready = Mutex<Set<String>>([])

    package init() {}

    package func isReady(_ ip: String) -> Bool {
        ready.withLock { $0.contains(ip) }
    }

    /// The slices' own `ready` conditions of the Services programmed now, not
    /// the programmed specs': when a Service has no ready endpoint left the
    /// proxy falls back to the terminating ones, which must not keep their
    /// pods waiting (there is nothing else to send the traffic to).
    func update(_ programmed: [ServiceID: ServiceSpec], inventory: ProxyInventory) {
        var ips = Set<String>()
        for id in programmed.keys {
            for slice in inventory.slices(of: id) {
                for endpoint in slice["endpoints"].arrayValue ?? []
                where endpoint["conditions"]["ready"].boolValue != false && endpoint["conditions"]["terminating"].boolValue != true {
                    for address in endpoint["addresses"].arrayValue ?? [] {
                        if let ip = address.stringValue { ips.insert(ip) }
                    }
                }
            }
        }
        ready.withLock { $0 = ips }
    }
}
