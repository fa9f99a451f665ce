import NodeRuntime

/// Turns Services into a `ForwardingTable`, refusing the whole desired state
/// at the first bad field so nothing of it is half-applied.
package struct ForwardingCompiler: Sendable {
    package var config: DataplaneConfig

    package init(config: DataplaneConfig) {
        self.config = config
    }

    /// Compiles the whole desired state (a full sync's input).
    package func compile(_ services: [ServiceSpec]) throws(DataplaneError) -> ForwardingTable {
        var table = ForwardingTable()
        var seen = Set<ServiceID>()
        for service in services.sorted(by: { $0.id < $1.id }) {
            guard seen.insert(service.id).inserted else {
                throw .invalid(service: service.id, field: "metadata.name", message: "Duplicate value: the Service is listed twice")
            }
            for rule in try compile(service) {
                try Self.checkFree(rule, in: table)
                table.rules[rule.frontend] = rule
            }
        }
        return table
    }

    /// Refuses `rule` when another Service already holds its frontend.
    package static func checkFree(_ rule: ForwardingRule, in table: ForwardingTable) throws(DataplaneError) {
        guard let owner = table.rules[rule.frontend]?.service, owner != rule.service else { return }
        let frontend = rule.frontend
        if frontend.address == .nodePort {
            throw .invalid(
                service: rule.service, field: "spec.ports[\(rule.portIndex)].nodePort",
                message: "Invalid value: \(frontend.port): provided port is already allocated (by \(owner))")
        }
        throw .invalid(
            service: rule.service, field: "spec.ports[\(rule.portIndex)]",
            message: "Invalid value: \"\(frontend)\": already forwarded for \(owner)")
    }

    /// One Service's rules, checked on their own (ports, ranges, endpoints);
    /// conflicts with other Services are `checkFree`'s.
    package func compile(_ service: ServiceSpec) throws(DataplaneError) -> [ForwardingRule] {
        try validateEndpoints(service)
        var rules: [ForwardingRule] = []
        var ownPorts = Set<Frontend>()
        var ownNodePorts = Set<Frontend>()
        for (index, port) in service.ports.enumerated() {
            let field = "spec.ports[\(index)]"
            guard port.port != 0 else {
                throw .invalid(service: service.id, field: "\(field).port", message: "Invalid value: 0: must be between 1 and 65535, inclusive")
            }
            guard ownPorts.insert(Frontend(address: .nodePort, proto: port.proto, port: port.port)).inserted else {
                throw .invalid(service: service.id, field: field, message: "Duplicate value: {port \(port.port), protocol \(port.proto.rawValue)}")
            }
            let all = backends(of: service, for: port, localOnly: false)
            let local = backends(of: service, for: port, localOnly: true)
            let internalBackends = service.internalTrafficLocal ? local : all
            let externalBackends = service.externalTrafficLocal ? local : all
            var frontends: [(Frontend, [BackendAddress], Bool)] = []
            if let clusterIP = service.clusterIP {
                frontends.append((Frontend(address: .ip(clusterIP), proto: port.proto, port: port.port), internalBackends, false))
            }
            for ip in service.externalIPs {
                frontends.append((Frontend(address: .ip(ip), proto: port.proto, port: port.port), externalBackends, !service.externalTrafficLocal))
            }
            if let nodePort = port.nodePort {
                guard config.nodePortRange.contains(nodePort) else {
                    throw .invalid(
                        service: service.id, field: "\(field).nodePort",
                        message: "Invalid value: \(nodePort): provided port is not in the valid range. The range of valid ports is \(config.nodePortRange.lowerBound)-\(config.nodePortRange.upperBound)")
                }
                let frontend = Frontend(address: .nodePort, proto: port.proto, port: nodePort)
                guard ownNodePorts.insert(frontend).inserted else {
                    throw .invalid(service: service.id, field: "\(field).nodePort", message: "Duplicate value: \(nodePort)")
                }
                frontends.append((frontend, externalBackends, !service.externalTrafficLocal))
            }
            for (frontend, backends, masquerade) in frontends {
                // Affinity is kept for Service IPs; through a NodePort each
                // connection is balanced on its own (see docs/dataplane.md).
                let affinity = frontend.address == .nodePort ? nil : service.affinityTimeoutSeconds
                rules.append(ForwardingRule(
                    frontend: frontend, service: service.id, portName: port.name, portIndex: index, backends: backends,
                    masquerade: masquerade, affinityTimeout: affinity))
            }
        }
        var frontends = Set<Frontend>()
        for rule in rules where !frontends.insert(rule.frontend).inserted {
            throw .invalid(
                service: service.id, field: "spec.ports[\(rule.portIndex)]",
                message: "Duplicate value: \"\(rule.frontend)\" is forwarded twice")
        }
        return rules
    }

    private func validateEndpoints(_ service: ServiceSpec) throws(DataplaneError) {
        if let timeout = service.affinityTimeoutSeconds, timeout == 0 || timeout > 86_400 {
            throw .invalid(
                service: service.id, field: "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                message: "Invalid value: \(timeout): must be greater than 0 and less than 86400")
        }
        for (index, endpoint) in service.endpoints.enumerated() {
            guard config.podCIDRs.contains(where: { $0.contains(endpoint.ip) }) else {
                let cidrs = config.podCIDRs.map(\.description).joined(separator: ", ")
                throw .invalid(
                    service: service.id, field: "endpoints[\(index)].ip",
                    message: "Invalid value: \"\(endpoint.ip)\": not in the pod network (\(cidrs))")
            }
            for (p, port) in endpoint.ports.enumerated() where port.port == 0 {
                throw .invalid(
                    service: service.id, field: "endpoints[\(index)].ports[\(p)].port",
                    message: "Invalid value: 0: must be between 1 and 65535, inclusive")
            }
        }
    }

    /// The ready endpoints serving `port` (matched by name and protocol, as
    /// EndpointSlice ports are), sorted and without duplicates.
    private func backends(of service: ServiceSpec, for port: ServicePortSpec, localOnly: Bool) -> [BackendAddress] {
        var result = Set<BackendAddress>()
        for endpoint in service.endpoints where endpoint.ready && (!localOnly || endpoint.local) {
            if let match = endpoint.ports.first(where: { $0.name == port.name && $0.proto == port.proto }) {
                result.insert(BackendAddress(ip: endpoint.ip, port: match.port))
            }
        }
        return result.sorted()
    }
}
