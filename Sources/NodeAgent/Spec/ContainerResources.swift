import NodeRuntime
import SkiffAPI

/// A container's `resources` in the units the runtime's cgroup writer takes.
package enum ContainerResources {
    /// CPU request/limit in millicores and the memory limit in bytes (rounded up, as
    /// `MilliValue`/`Value` round). A zero limit means "no limit". A container with a CPU limit
    /// but no request requests its limit: the API server defaults that on create, and the
    /// kubelet repeats it for pods stored before the default existed.
    package static func limits(container: JSONValue) throws(PodConfigError) -> ResourceLimitsConfig {
        let resources = container["resources"]
        let cpuLimit = try ResourceQuantity.read(resources["limits"]["cpu"]).flatMap { $0.isZero ? nil : $0 }
        let cpuRequest = try ResourceQuantity.read(resources["requests"]["cpu"]).flatMap { $0.isZero ? nil : $0 }
        let memoryLimit = try ResourceQuantity.read(resources["limits"]["memory"]).flatMap { $0.isZero ? nil : $0 }
        return ResourceLimitsConfig(
            cpuRequestMillis: (cpuRequest ?? cpuLimit)?.milliValue,
            cpuLimitMillis: cpuLimit?.milliValue,
            memoryLimitBytes: memoryLimit?.value)
    }
}
