/// What a container is created from (CRI's ContainerConfig subset).
package struct ContainerConfig: Codable, Equatable, Sendable {
    package var name: String
    package var attempt: UInt32
    /// Image reference as the user wrote it (`mengsixing/notepad`).
    package var image: String
    /// Replaces the image's Entrypoint (Kubernetes `command`).
    package var command: [String]?
    /// Replaces the image's Cmd (Kubernetes `args`).
    package var args: [String]?
    package var workingDir: String?
    /// NAME=VALUE, applied over the image's Env.
    package var env: [String]
    package var mounts: [ContainerMount]
    package var resources: ResourceLimitsConfig
    package var security: ContainerSecurity
    package var tty: Bool
    package var labels: [String: String]
    package var annotations: [String: String]
    /// Log file relative to the sandbox's log directory; default `<name>/<attempt>.log`.
    package var logPath: String?

    package init(
        name: String, image: String, attempt: UInt32 = 0, command: [String]? = nil, args: [String]? = nil,
        workingDir: String? = nil, env: [String] = [], mounts: [ContainerMount] = [],
        resources: ResourceLimitsConfig = ResourceLimitsConfig(), security: ContainerSecurity = ContainerSecurity(),
        tty: Bool = false, labels: [String: String] = [:], annotations: [String: String] = [:], logPath: String? = nil
    ) {
        self.name = name
        self.attempt = attempt
        self.image = image
        self.command = command
        self.args = args
        self.workingDir = workingDir
        self.env = env
        self.mounts = mounts
        self.resources = resources
        self.security = security
        self.tty = tty
        self.labels = labels
        self.annotations = annotations
        self.logPath = logPath
    }
}

/// A host path made visible in the container (volumes arrive as these).
package struct ContainerMount: Codable, Equatable, Sendable {
    package var hostPath: String
    package var containerPath: String
    package var readOnly: Bool

    package init(hostPath: String, containerPath: String, readOnly: Bool = false) {
        self.hostPath = hostPath
        self.containerPath = containerPath
        self.readOnly = readOnly
    }
}

/// Container resources in the units the kubelet hands a CRI runtime.
package struct ResourceLimitsConfig: Codable, Equatable, Sendable {
    package var cpuRequestMillis: Int64?
    package var cpuLimitMillis: Int64?
    package var memoryLimitBytes: Int64?
    package var pidsLimit: Int64?

    package init(cpuRequestMillis: Int64? = nil, cpuLimitMillis: Int64? = nil, memoryLimitBytes: Int64? = nil, pidsLimit: Int64? = nil) {
        self.cpuRequestMillis = cpuRequestMillis
        self.cpuLimitMillis = cpuLimitMillis
        self.memoryLimitBytes = memoryLimitBytes
        self.pidsLimit = pidsLimit
    }

    package var cgroupLimits: ResourceLimits {
        ResourceLimits.fromKubernetes(
            cpuRequestMillis: cpuRequestMillis, cpuLimitMillis: cpuLimitMillis, memoryLimitBytes: memoryLimitBytes,
            pidsLimit: pidsLimit)
    }
}

/// securityContext, as far as the runtime enforces it.
package struct ContainerSecurity: Codable, Equatable, Sendable {
    package var privileged: Bool
    package var runAsUser: UInt32?
    package var runAsGroup: UInt32?
    package var supplementalGroups: [UInt32]
    package var capabilitiesAdd: [String]
    package var capabilitiesDrop: [String]
    package var readOnlyRootFilesystem: Bool
    /// `allowPrivilegeEscalation: false` sets no_new_privs; Kubernetes' default allows escalation.
    package var allowPrivilegeEscalation: Bool
    /// `RuntimeDefault` (the default here, as with `--seccomp-default`) or `Unconfined`.
    package var seccompUnconfined: Bool

    package init(
        privileged: Bool = false, runAsUser: UInt32? = nil, runAsGroup: UInt32? = nil,
        supplementalGroups: [UInt32] = [], capabilitiesAdd: [String] = [], capabilitiesDrop: [String] = [],
        readOnlyRootFilesystem: Bool = false, allowPrivilegeEscalation: Bool = false, seccompUnconfined: Bool = false
    ) {
        self.privileged = privileged
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.supplementalGroups = supplementalGroups
        self.capabilitiesAdd = capabilitiesAdd
        self.capabilitiesDrop = capabilitiesDrop
        self.readOnlyRootFilesystem = readOnlyRootFilesystem
        self.allowPrivilegeEscalation = allowPrivilegeEscalation
        self.seccompUnconfined = seccompUnconfined
    }
}
