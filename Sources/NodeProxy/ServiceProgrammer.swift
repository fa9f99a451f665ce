import Dataplane
import NodeRuntime

/// What the proxy needs of the dataplane: `ServiceProxy` in `skiffd`, a
/// recorder in tests (which must not touch the host's kernel state).
/// Each call returns how long its kernel work took, in seconds.
package protocol ServiceProgrammer: Sendable {
    var backendName: String { get }
    /// Endpoints must lie in these (the cluster's pod CIDR).
    var podCIDRs: [IPv4Network] { get }
    /// The whole state; `first` is the start-up sync, which also takes over
    /// what a previous run left in the kernel.
    func programAll(_ services: [ServiceSpec], first: Bool) async throws(DataplaneError) -> Double
    func program(_ service: ServiceSpec) async throws(DataplaneError) -> Double
    func unprogram(_ id: ServiceID) async throws(DataplaneError) -> Double
}

extension ServiceProxy: ServiceProgrammer {
    package var podCIDRs: [IPv4Network] { config.podCIDRs }

    package func programAll(_ services: [ServiceSpec], first: Bool) async throws(DataplaneError) -> Double {
        first ? try await start(services).seconds : try await replace(services).seconds
    }

    package func program(_ service: ServiceSpec) async throws(DataplaneError) -> Double {
        try await upsert(service).seconds
    }

    package func unprogram(_ id: ServiceID) async throws(DataplaneError) -> Double {
        try await remove(id).seconds
    }
}
