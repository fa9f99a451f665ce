import SkiffAPI

/// Hands out Service cluster IPs from the service CIDR and node ports from
/// 30000-32767, and checks the ones clients ask for, as the real server's
/// allocators do. One actor, so two creates never get the same address; a
/// reservation is taken before the store write and given back if it fails.
actor ServiceAllocator {
    let network: IPv4CIDR
    let nodePortRange: ClosedRange<Int64>
    private let store: ObjectStore
    private var usedIPs: Set<UInt32> = []
    private var usedPorts: Set<Int64> = []
    private var loaded = false

    init(network: IPv4CIDR, nodePortRange: ClosedRange<Int64> = 30000...32767, store: ObjectStore) {
        self.network = network
        self.nodePortRange = nodePortRange
        self.store = store
    }

    /// The address of the `kubernetes` Service: the first in the range, as k3s uses 10.43.0.1.
    nonisolated var apiServiceIP: String { IPv4CIDR.format(network.base &+ 1) }

    /// Fills in `spec.clusterIP(s)` and node ports of `service` (keeping those of
    /// `previous` on update), runs `write` with the result, and releases what
    /// it reserved if the write fails or is a dry run.
    func withAllocation(
        for service: JSONValue, previous: JSONValue?, dryRun: Bool,
        _ write: (JSONValue) async throws(APIStatus) -> JSONValue
    ) async throws(APIStatus) -> JSONValue {
        try await loadIfNeeded()
        var object = service
        var reservedIP: UInt32?
        var reservedPorts: [Int64] = []
        let name = service.metadata.name ?? ""
        let kind = GroupKind(group: "", kind: "Service")
        do throws(APIStatus) {
            let type = object["spec"]["type"].stringValue ?? "ClusterIP"
            if type != "ExternalName" {
                if let previous, object["spec"]["clusterIP"].stringValue?.isEmpty ?? true {
                    object["spec"]["clusterIP"] = previous["spec"]["clusterIP"]
                    object["spec"]["clusterIPs"] = previous["spec"]["clusterIPs"]
                }
                let requested = object["spec"]["clusterIP"].stringValue ?? ""
                if previous == nil, requested != "None" {
                    let ip = try reserveIP(requested, name: name, kind: kind)
                    reservedIP = ip
                    object["spec"]["clusterIP"] = .string(IPv4CIDR.format(ip))
                    object["spec"]["clusterIPs"] = [.string(IPv4CIDR.format(ip))]
                } else if requested == "None" {
                    object["spec"]["clusterIPs"] = ["None"]
                }
            }
            let wantsNodePorts = type == "NodePort" || type == "LoadBalancer"
            var ports = object["spec"]["ports"].arrayValue ?? []
            let previousPorts = Set((previous?["spec"]["ports"].arrayValue ?? []).compactMap { $0["nodePort"].int64Value })
            for index in ports.indices {
                guard wantsNodePorts else {
                    ports[index]["nodePort"] = .null
                    continue
                }
                var nodePort = ports[index]["nodePort"].int64Value ?? 0
                if nodePort == 0, let previous {
                    let match = (previous["spec"]["ports"].arrayValue ?? []).first {
                        $0["port"] == ports[index]["port"] && $0["protocol"] == ports[index]["protocol"]
                    }
                    nodePort = match?["nodePort"].int64Value ?? 0
                }
                if nodePort != 0, previousPorts.contains(nodePort) {
                    ports[index]["nodePort"] = .integer(nodePort)
                    continue
                }
                let port = try reservePort(nodePort, field: "spec.ports[\(index)].nodePort", name: name, kind: kind)
                reservedPorts.append(port)
                ports[index]["nodePort"] = .integer(port)
            }
            if object["spec"]["ports"].arrayValue != nil { object["spec"]["ports"] = .array(ports) }
            let stored = try await write(object)
            if dryRun { release(ip: reservedIP, ports: reservedPorts) }
            if let previous { releaseUnused(previous: previous, current: stored) }
            return stored
        } catch {
            release(ip: reservedIP, ports: reservedPorts)
            throw error
        }
    }

    /// Gives back what a deleted Service held.
    func released(_ service: JSONValue) {
        if let ip = service["spec"]["clusterIP"].stringValue.flatMap(IPv4CIDR.parse) { usedIPs.remove(ip) }
        for port in service["spec"]["ports"].arrayValue ?? [] {
            if let nodePort = port["nodePort"].int64Value { usedPorts.remove(nodePort) }
        }
    }

    private func releaseUnused(previous: JSONValue, current: JSONValue) {
        let kept = Set((current["spec"]["ports"].arrayValue ?? []).compactMap { $0["nodePort"].int64Value })
        for port in previous["spec"]["ports"].arrayValue ?? [] {
            if let nodePort = port["nodePort"].int64Value, !kept.contains(nodePort) { usedPorts.remove(nodePort) }
        }
    }

    private func release(ip: UInt32?, ports: [Int64]) {
        if let ip { usedIPs.remove(ip) }
        for port in ports { usedPorts.remove(port) }
    }

    private func reserveIP(_ requested: String, name: String, kind: GroupKind) throws(APIStatus) -> UInt32 {
        if !requested.isEmpty {
            guard let ip = IPv4CIDR.parse(requested), network.contains(ip) else {
                throw APIStatus.invalid(kind, name: name, errors: [
                    .invalid("spec.clusterIPs", .array([.string(requested)]),
                             "failed to allocate IP \(requested): the provided IP (\(requested)) is not in the valid range. The range of valid IPs is \(network)")
                ])
            }
            guard usedIPs.insert(ip).inserted else {
                throw APIStatus.invalid(kind, name: name, errors: [
                    .invalid("spec.clusterIPs", .array([.string(requested)]),
                             "failed to allocate IP \(requested): provided IP is already allocated")
                ])
            }
            return ip
        }
        let size = network.size
        // Start at a random offset so a restart does not retry the same addresses first.
        let start = UInt32.random(in: 2..<max(3, size - 1))
        for step in 0..<size {
            let offset = 2 + (start - 2 + step) % max(1, size - 3)
            let ip = network.base &+ offset
            if usedIPs.insert(ip).inserted { return ip }
        }
        throw APIStatus.internalError("failed to allocate a service IP: range is full")
    }

    private func reservePort(_ requested: Int64, field: String, name: String, kind: GroupKind) throws(APIStatus) -> Int64 {
        if requested != 0 {
            guard nodePortRange.contains(requested) else {
                throw APIStatus.invalid(kind, name: name, errors: [
                    .invalid(field, .integer(requested),
                             "provided port is not in the valid range. The range of valid ports is \(nodePortRange.lowerBound)-\(nodePortRange.upperBound)")
                ])
            }
            guard usedPorts.insert(requested).inserted else {
                throw APIStatus.invalid(kind, name: name, errors: [
                    .invalid(field, .integer(requested), "provided port is already allocated")
                ])
            }
            return requested
        }
        let count = nodePortRange.upperBound - nodePortRange.lowerBound + 1
        let start = Int64.random(in: 0..<count)
        for step in 0..<count {
            let port = nodePortRange.lowerBound + (start + step) % count
            if usedPorts.insert(port).inserted { return port }
        }
        throw APIStatus.internalError("failed to allocate a node port: range is full")
    }

    private func loadIfNeeded() async throws(APIStatus) {
        guard !loaded else { return }
        guard let services = ResourceRegistry.builtin.resource(group: "", version: "v1", plural: "services") else { return }
        let page = try await store.list(services, namespace: nil, limit: nil, continueAfter: nil, atRevision: nil)
        guard !loaded else { return }
        for (_, service) in page.objects {
            if let ip = service["spec"]["clusterIP"].stringValue.flatMap(IPv4CIDR.parse) { usedIPs.insert(ip) }
            for port in service["spec"]["ports"].arrayValue ?? [] {
                if let nodePort = port["nodePort"].int64Value { usedPorts.insert(nodePort) }
            }
        }
        loaded = true
    }
}

/// An IPv4 network such as the service CIDR `10.43.0.0/16`.
struct IPv4CIDR: Sendable, CustomStringConvertible {
    let base: UInt32
    let prefixLength: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let address = IPv4CIDR.parse(String(parts[0])), let length = Int(parts[1]),
            (8...30).contains(length)
        else { return nil }
        let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << (32 - length)
        base = address & mask
        prefixLength = length
    }

    var size: UInt32 { UInt32(1) << (32 - prefixLength) }

    func contains(_ ip: UInt32) -> Bool {
        ip >= base && ip < base &+ size && ip != base && ip != base &+ size &- 1
    }

    var description: String { "\(IPv4CIDR.format(base))/\(prefixLength)" }

    static func parse(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    static func format(_ ip: UInt32) -> String {
        "\(ip >> 24).\(ip >> 16 & 0xFF).\(ip >> 8 & 0xFF).\(ip & 0xFF)"
    }
}
