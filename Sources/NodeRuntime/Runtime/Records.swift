import Foundation

/// A pod sandbox as persisted under STATE/pods/<id>/sandbox.json.
package struct PodSandboxRecord: Codable, Equatable, Sendable {
    package enum State: String, Codable, Sendable {
        case ready = "SANDBOX_READY"
        case notReady = "SANDBOX_NOTREADY"
    }

    package var id: String
    package var config: PodSandboxConfig
    package var state: State
    package var createdAt: Date
    /// nsfs bind mounts keeping the pod's namespaces alive without a process.
    package var netnsPath: String?
    package var ipcPath: String?
    package var utsPath: String
    package var logDirectory: String
    package var cgroupPath: String
    /// The pod's address and host veth; nil for hostNetwork pods or a node without a pod network.
    package var network: PodNetworkStatus?
    /// Creating the pod's namespaces, their nsfs bind mounts and the pod's files (hosts, hostname, resolv.conf), for the pod-start breakdown.
    package var namespacesNanos: UInt64? = nil
}

/// A container as persisted under STATE/containers/<id>/container.json.
package struct ContainerRecord: Codable, Equatable, Sendable {
    package enum State: String, Codable, Sendable {
        case created = "CONTAINER_CREATED"
        case running = "CONTAINER_RUNNING"
        case exited = "CONTAINER_EXITED"
        case unknown = "CONTAINER_UNKNOWN"
    }

    package var id: String
    package var podID: String
    package var config: ContainerConfig
    /// The resolved image (config digest) and the reference it was resolved from.
    package var imageID: String
    package var imageRef: String
    package var state: State
    package var createdAt: Date
    package var startedAt: Date?
    package var finishedAt: Date?
    package var exitCode: Int32?
    /// Completed, Error, OOMKilled, Signaled, Unknown.
    package var reason: String?
    package var message: String?
    package var process: ProcessIdentity?
    package var cgroupPath: String
    package var logPath: String
    /// The fully resolved launch inputs, kept so exec and restart recovery
    /// use exactly what the container started with.
    package var launch: ContainerLaunchRecord
}

/// The launch inputs of a container that exec needs later.
package struct ContainerLaunchRecord: Codable, Equatable, Sendable {
    package var args: [String]
    package var env: [String]
    package var workingDir: String
    package var uid: UInt32
    package var gid: UInt32
    package var additionalGids: [UInt32]
    package var capabilities: UInt64
    package var noNewPrivileges: Bool
    package var seccomp: Bool
}
