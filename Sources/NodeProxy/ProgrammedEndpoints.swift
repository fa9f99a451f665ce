import Dataplane
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

    func update(_ programmed: [ServiceID: ServiceSpec]) {
        var ips = Set<String>()
        for spec in programmed.values {
            for endpoint in spec.endpoints where endpoint.ready { ips.insert("\(endpoint.ip)") }
        }
        ready.withLock { $0 = ips }
    }
}
