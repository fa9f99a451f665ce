import Logging
import NodeRuntime

/// What every pod worker shares: the runtime, the API, events, volumes,
/// probes and the node's settings.
package struct PodWorkerContext: Sendable {
    package var runtime: RuntimeService
    package var api: AgentAPI
    package var events: EventRecorder
    package var config: NodeAgentConfig
    package var volumes: PodVolumeManager
    package var factory: ContainerFactory
    package var prober: ProbeRunner
    package var log: Logger
}
