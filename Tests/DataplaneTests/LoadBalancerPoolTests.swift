import Dataplane
import NodeRuntime
import Testing

@Suite("LoadBalancer pool")
struct LoadBalancerPoolTests {
    let a = ServiceID(namespace: "default", name: "a")
    let b = ServiceID(namespace: "default", name: "b")
    let c = ServiceID(namespace: "default", name: "c")

    @Test("addresses are stable per Service, reused after release, and run out with a clear error")
    func assignment() throws {
        var pool = LoadBalancerPool(network: try IPv4Network(parsing: "192.168.200.0/30"))
        let first = try pool.address(for: a)
        #expect(first == IPv4Address(192, 168, 200, 1))
        #expect(try pool.address(for: a) == first)
        #expect(try pool.address(for: b) == IPv4Address(192, 168, 200, 2))
        #expect(throws: LoadBalancerPool.Failure.exhausted(pool: "192.168.200.0/30", service: c)) { try pool.address(for: c) }
        pool.release(a)
        #expect(try pool.address(for: c) == first)
    }

    @Test("restored addresses are kept out of new assignments; conflicts and outsiders are refused")
    func restore() throws {
        var pool = LoadBalancerPool(network: try IPv4Network(parsing: "192.168.200.0/29"))
        try pool.restore(IPv4Address(192, 168, 200, 1), for: b)
        #expect(try pool.address(for: a) == IPv4Address(192, 168, 200, 2))
        #expect(throws: LoadBalancerPool.Failure.taken(service: c, ip: IPv4Address(192, 168, 200, 1), by: b)) {
            try pool.restore(IPv4Address(192, 168, 200, 1), for: c)
        }
        let outside = IPv4Address(10, 0, 0, 1)
        #expect(throws: LoadBalancerPool.Failure.outside(pool: "192.168.200.0/29", service: c, ip: outside)) { try pool.restore(outside, for: c) }
        #expect(pool.assigned == 2)
    }
}
