import Foundation
import SkiffAPI

/// Reaching Services from inside the test node's network namespace.
extension AgentNode {
    /// The pod bridge's address: the node IP a NodePort answers on.
    static let nodeAddress = "10.42.0.1"

    /// The test netns has no default route (a real node has one): without a
    /// route, a connect() to a Service IP fails before the DNAT is reached.
    func routeServiceCIDR() async throws {
        let result = try await inNode(["ip", "route", "replace", "10.43.0.0/16", "dev", "skiff0"])
        guard result.status == 0 else { throw AgentTestFailure("ip route replace: \(result.combined)") }
    }

    /// One HTTP GET from the node netns; the notepad page's "served by" pod
    /// name, or nil when the connection failed.
    func notepadServer(_ url: String) async throws -> String? {
        let result = try await inNode(["curl", "-sS", "--max-time", "3", url])
        guard result.status == 0 else { return nil }
        guard let range = result.stdout.range(of: "served by ") else {
            throw AgentTestFailure("unexpected answer from \(url): \(result.stdout.prefix(300))")
        }
        return String(result.stdout[range.upperBound...].prefix { $0 != ")" })
    }

    /// The pods that answered `count` requests to `url` (nil for a failed one).
    func notepadServers(_ url: String, count: Int) async throws -> [String?] {
        var servers: [String?] = []
        for _ in 0..<count { servers.append(try await notepadServer(url)) }
        return servers
    }

    /// `nft list table ip skiff-services` in the node netns.
    func serviceRules() async throws -> String {
        let result = try await inNode(["nft", "list", "table", "ip", "skiff-services"])
        guard result.status == 0 else { throw AgentTestFailure("nft list table: \(result.combined)") }
        return result.stdout
    }

    func endpoints(_ service: String) async throws -> JSONValue? {
        try await api.get("/api/v1/namespaces/default/endpoints/\(service)")
    }

    func endpointSlices(_ service: String) async throws -> [JSONValue] {
        try await api.list("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices").filter {
            $0.metadata.labels["kubernetes.io/service-name"] == service
        }
    }
}

extension JSONValue {
    /// The pod names of an Endpoints' `addresses` (or `notReadyAddresses`) over all subsets.
    func endpointPods(_ field: String = "addresses") -> Set<String> {
        Set((self["subsets"].arrayValue ?? []).flatMap { $0[field].arrayValue ?? [] }.compactMap { $0["targetRef"]["name"].stringValue })
    }
}
