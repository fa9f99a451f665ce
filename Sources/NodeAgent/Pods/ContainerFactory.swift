import Foundation
import NodeRuntime
import SkiffAPI

/// Turns one container of a pod spec into the runtime's `ContainerConfig`:
/// environment (with Secrets, ConfigMaps and the downward API), `$(VAR)`
/// expansion in command and args, volume mounts, resources and the security
/// context, pod-level settings under container-level ones as Kubernetes merges them.
package struct ContainerFactory: Sendable {
    package var objects: any PodObjectSource
    package var allocatable: (cpuMillis: Int64, memoryBytes: Int64)

    package init(objects: any PodObjectSource, allocatable: (cpuMillis: Int64, memoryBytes: Int64)) {
        self.objects = objects
        self.allocatable = allocatable
    }

    /// Throws `PodConfigError` when a referenced Secret, ConfigMap or key is missing.
    package func make(
        container: JSONValue, pod: JSONValue, attempt: Int, volumePaths: [String: String]
    ) async throws -> ContainerConfig {
        let name = container["name"].stringValue ?? ""
        let resolved = try await ContainerEnvironment.resolve(
            container: container, pod: pod, source: objects, nodeAllocatable: allocatable)
        let commandLine = ContainerCommandLine.expand(container: container, env: resolved.variables)
        var config = ContainerConfig(
            name: name, image: container["image"].stringValue ?? "", attempt: UInt32(clamping: attempt),
            command: commandLine.command, args: commandLine.args,
            workingDir: container["workingDir"].stringValue.flatMap { $0.isEmpty ? nil : $0 },
            env: resolved.variables,
            mounts: try Self.mounts(container, volumePaths: volumePaths, readOnlyVolumes: Self.readOnlyVolumes(pod)),
            resources: try ContainerResources.limits(container: container),
            security: Self.security(container: container, pod: pod),
            tty: container["tty"].boolValue == true,
            labels: [
                "io.kubernetes.container.name": name, "io.kubernetes.pod.name": pod.metadata.name ?? "",
                "io.kubernetes.pod.namespace": pod.metadata.namespace ?? "", "io.kubernetes.pod.uid": pod.metadata.uid ?? "",
            ])
        config.logPath = "\(name)/\(attempt).log"
        return config
    }

    /// volumeMounts → bind mounts of the volumes' host directories (`subPath` inside them).
    /// Volumes kubelet always mounts read-only: their files are its to write
    /// (atomically, on updates), never the container's.
    static func readOnlyVolumes(_ pod: JSONValue) -> Set<String> {
        Set((pod["spec"]["volumes"].arrayValue ?? []).compactMap { volume in
            ["secret", "configMap", "downwardAPI", "projected"].contains { !volume[$0].isNull } ? volume["name"].stringValue : nil
        })
    }

    static func mounts(_ container: JSONValue, volumePaths: [String: String], readOnlyVolumes: Set<String>) throws
        -> [ContainerMount]
    {
        try (container["volumeMounts"].arrayValue ?? []).map { mount in
            let volume = mount["name"].stringValue ?? ""
            guard let host = volumePaths[volume] else {
                throw PodConfigError("volume \"\(volume)\" of container \(container["name"].stringValue ?? "") is not set up")
            }
            var path = host
            if let subPath = mount["subPath"].stringValue, !subPath.isEmpty {
                guard !subPath.hasPrefix("/"), !subPath.split(separator: "/").contains("..") else {
                    throw PodConfigError("subPath \"\(subPath)\" must be a relative path without '..'")
                }
                path += "/" + subPath
                if !FileManager.default.fileExists(atPath: path) {
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                }
            }
            return ContainerMount(
                hostPath: path, containerPath: mount["mountPath"].stringValue ?? "",
                readOnly: mount["readOnly"].boolValue == true || readOnlyVolumes.contains(volume))
        }
    }

    static func security(container: JSONValue, pod: JSONValue) -> ContainerSecurity {
        let podContext = pod["spec"]["securityContext"]
        let context = container["securityContext"]
        func number(_ key: String) -> UInt32? {
            (context[key].int64Value ?? podContext[key].int64Value).flatMap { UInt32(exactly: $0) }
        }
        var groups = (podContext["supplementalGroups"].arrayValue ?? []).compactMap { $0.int64Value.flatMap(UInt32.init(exactly:)) }
        if let fsGroup = podContext["fsGroup"].int64Value.flatMap(UInt32.init(exactly:)) { groups.append(fsGroup) }
        let seccomp = context["seccompProfile"]["type"].stringValue ?? podContext["seccompProfile"]["type"].stringValue
        return ContainerSecurity(
            privileged: context["privileged"].boolValue == true,
            runAsUser: number("runAsUser"), runAsGroup: number("runAsGroup"), supplementalGroups: groups,
            capabilitiesAdd: (context["capabilities"]["add"].arrayValue ?? []).compactMap(\.stringValue),
            capabilitiesDrop: (context["capabilities"]["drop"].arrayValue ?? []).compactMap(\.stringValue),
            readOnlyRootFilesystem: context["readOnlyRootFilesystem"].boolValue == true,
            // Kubernetes allows escalation unless the spec says otherwise.
            allowPrivilegeEscalation: context["allowPrivilegeEscalation"].boolValue ?? true,
            seccompUnconfined: seccomp == "Unconfined")
    }
}
