import SkiffAPI

/// Secrets and ConfigMaps read from the API server as a pod's containers and
/// volumes need them (kubelet's "Get" strategy: always current, no cache).
package struct APIObjectSource: PodObjectSource {
    package let api: AgentAPI

    package init(api: AgentAPI) {
        self.api = api
    }

    package func secret(namespace: String, name: String) async throws -> JSONValue? {
        try await api.get(AgentPath.secret(namespace, name))
    }

    package func configMap(namespace: String, name: String) async throws -> JSONValue? {
        try await api.get(AgentPath.configMap(namespace, name))
    }
}
