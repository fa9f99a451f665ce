import SkiffAPI

/// Where the agent reads the Secrets and ConfigMaps a pod refers to (the API server, a
/// watch cache, or a test double). `nil` means the object does not exist, which the rules
/// turn into kubelet's "not found" or skip when the reference is optional; a thrown error
/// is a transport failure and propagates unchanged so the sync is simply retried.
package protocol PodObjectSource: Sendable {
    func secret(namespace: String, name: String) async throws -> JSONValue?
    func configMap(namespace: String, name: String) async throws -> JSONValue?
}
