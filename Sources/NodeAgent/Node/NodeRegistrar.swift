import Foundation
import Logging
import SkiffAPI

/// Registers this node and keeps it alive, as kubelet does: the Node object
/// once (labels merged, status written), a Lease in `kube-node-lease` renewed
/// every 10 s, and the Node's status rewritten when it changes or once a minute.
package actor NodeRegistrar {
    private let api: AgentAPI
    private let config: NodeAgentConfig
    private let facts: NodeFacts
    private let images: @Sendable () -> [(names: [String], size: Int64)]
    private let log: Logger
    private var lastStatusWrite: ContinuousClock.Instant?
    private var loop: Task<Void, Never>?

    package init(
        api: AgentAPI, config: NodeAgentConfig, facts: NodeFacts,
        images: @escaping @Sendable () -> [(names: [String], size: Int64)], logger: Logger
    ) {
        self.api = api
        self.config = config
        self.facts = facts
        self.images = images
        self.log = logger
    }

    /// Creates or refreshes the Node and its Lease; throws when the API server
    /// cannot be reached, so the daemon says so at start instead of later.
    package func register() async throws(AgentAPIError) {
        let wanted = NodeObject.registration(config: config, facts: facts)
        var node: JSONValue
        if var existing = try await api.get(AgentPath.node(config.nodeName)) {
            var labels = existing["metadata"]["labels"].stringMapValue ?? [:]
            labels.merge(wanted["metadata"]["labels"].stringMapValue ?? [:]) { _, new in new }
            existing[path: ["metadata", "labels"]] = JSONValue(stringMap: labels)
            if existing["spec"]["podCIDR"].isNull, !wanted["spec"]["podCIDR"].isNull {
                existing[path: ["spec", "podCIDR"]] = wanted["spec"]["podCIDR"]
                existing[path: ["spec", "podCIDRs"]] = wanted["spec"]["podCIDRs"]
            }
            node = try await api.update(AgentPath.node(config.nodeName), existing)
        } else {
            do {
                node = try await api.create(AgentPath.nodes, wanted)
            } catch where error.isConflict {
                node = try await api.get(AgentPath.node(config.nodeName)) ?? wanted
            }
        }
        try await writeStatus(previous: node["status"])
        try await renewLease()
        log.info("node registered", metadata: ["node": "\(config.nodeName)", "ip": "\(config.nodeIP)"])
    }

    /// Starts the heartbeat loop (Lease every `leaseRenewInterval`, status once a minute).
    package func startHeartbeat() {
        guard loop == nil else { return }
        loop = Task { [config] in
            while !Task.isCancelled {
                try? await Task.sleep(for: config.leaseRenewInterval)
                if Task.isCancelled { return }
                await self.beat()
            }
        }
    }

    package func stop() {
        loop?.cancel()
        loop = nil
    }

    private func beat() async {
        do {
            try await renewLease()
            guard let node = try await api.get(AgentPath.node(config.nodeName)) else {
                try await register()
                return
            }
            // The status is written once a minute, and at once when the node
            // lifecycle controller marked it Unknown while this agent was away.
            let ready = node["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "Ready" }
            if let last = lastStatusWrite, ContinuousClock.now - last < .seconds(60), ready?["status"].stringValue == "True" {
                return
            }
            try await writeStatus(previous: node["status"])
        } catch {
            log.warning("node heartbeat failed", metadata: ["error": "\(error)"])
        }
    }

    private func writeStatus(previous: JSONValue) async throws(AgentAPIError) {
        let status = NodeObject.status(
            config: config, facts: facts, previous: previous, images: images(), now: Date())
        try await api.mergePatch(AgentPath.nodeStatus(config.nodeName), ["status": status])
        lastStatusWrite = .now
    }

    private func renewLease() async throws(AgentAPIError) {
        let now = NodeObject.microTime(Date())
        let path = AgentPath.lease(config.nodeName)
        if var lease = try await api.get(path) {
            lease[path: ["spec", "renewTime"]] = .string(now)
            lease[path: ["spec", "holderIdentity"]] = .string(config.nodeName)
            lease[path: ["spec", "leaseDurationSeconds"]] = .integer(Int64(config.leaseDurationSeconds))
            do {
                try await api.update(path, lease)
            } catch where error.isConflict {
                try await api.mergePatch(path, ["spec": ["renewTime": .string(now)]])
            }
            return
        }
        let lease: JSONValue = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": ["name": .string(config.nodeName), "namespace": "kube-node-lease"],
            "spec": [
                "holderIdentity": .string(config.nodeName),
                "leaseDurationSeconds": .integer(Int64(config.leaseDurationSeconds)), "renewTime": .string(now),
            ],
        ]
        do {
            try await api.create(AgentPath.leases, lease)
        } catch where error.isConflict {
            try await api.mergePatch(path, ["spec": ["renewTime": .string(now)]])
        }
    }
}
