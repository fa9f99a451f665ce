import SkiffAPI

/// What a pod asks of a node: its effective cpu and memory requests (the sum
/// over its containers, or the largest init container's if that is more, as
/// the scheduler computes them) and the host ports it binds.
struct PodRequests: Equatable, Sendable {
    var cpuMillis: Int64
    var memoryBytes: Int64
    var hostPorts: Set<String>

    /// Nothing asked: what an empty node has bound, before pods are added.
    init(cpuMillis: Int64 = 0, memoryBytes: Int64 = 0, hostPorts: Set<String> = []) {
        self.cpuMillis = cpuMillis
        self.memoryBytes = memoryBytes
        self.hostPorts = hostPorts
    }

    init(_ pod: JSONValue) {
        func requests(_ containers: [JSONValue]) -> [(cpu: Int64, memory: Int64)] {
            containers.map { container in
                let requests = container["resources"]["requests"]
                let cpu = requests["cpu"].stringValue.flatMap { try? Quantity(parsing: $0) }?.milliValue ?? 0
                let memory = requests["memory"].stringValue.flatMap { try? Quantity(parsing: $0) }?.value ?? 0
                return (cpu, memory)
            }
        }
        let app = requests(pod["spec"]["containers"].arrayValue ?? [])
        let initial = requests(pod["spec"]["initContainers"].arrayValue ?? [])
        cpuMillis = max(app.reduce(0) { $0 + $1.cpu }, initial.map(\.cpu).max() ?? 0)
        memoryBytes = max(app.reduce(0) { $0 + $1.memory }, initial.map(\.memory).max() ?? 0)
        var ports: Set<String> = []
        for container in pod["spec"]["containers"].arrayValue ?? [] {
            for port in container["ports"].arrayValue ?? [] {
                guard let hostPort = port["hostPort"].int64Value, hostPort > 0 else { continue }
                ports.insert("\(port["protocol"].stringValue ?? "TCP")/\(port["hostIP"].stringValue ?? "0.0.0.0")/\(hostPort)")
            }
        }
        hostPorts = ports
    }

    /// Adds what `other` asks: the total of a node's pods.
    mutating func add(_ other: PodRequests) {
        cpuMillis += other.cpuMillis
        memoryBytes += other.memoryBytes
        hostPorts.formUnion(other.hostPorts)
    }
}
