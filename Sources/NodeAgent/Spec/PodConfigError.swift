import SkiffAPI

/// Why the agent cannot turn a pod into runtime calls yet, worded as the kubelet words it.
///
/// Two stages fail differently in Kubernetes, and users read the difference in
/// `kubectl describe`: a bad env/command reference leaves the container waiting with
/// `CreateContainerConfigError` and this message, while a volume whose files cannot be
/// produced leaves it in `ContainerCreating` and only shows up as a `FailedMount` event.
/// Both are retried on the next sync, so neither is fatal to the pod.
package struct PodConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    package enum Stage: Equatable, Sendable {
        /// Building the container's config (env, downward API env, resources).
        case containerConfig
        /// Producing a volume's files (secret, configMap, downwardAPI, projected).
        case volumeSetUp
    }

    package var stage: Stage
    /// The kubelet's error text, e.g. `secret "mysecret" not found`.
    package var message: String

    package init(_ message: String, stage: Stage = .containerConfig) {
        self.message = message
        self.stage = stage
    }

    /// The container's `state.waiting.reason` while this error stands.
    package var reason: String {
        switch stage {
        case .containerConfig: return "CreateContainerConfigError"
        case .volumeSetUp: return "ContainerCreating"
        }
    }

    /// The reason of the Warning event the kubelet records.
    package var eventReason: String {
        switch stage {
        case .containerConfig: return "Failed"
        case .volumeSetUp: return "FailedMount"
        }
    }

    /// The Warning event's message: `Error: secret "x" not found` for a container, or
    /// `MountVolume.SetUp failed for volume "foo" : secret "x" not found` for a volume.
    package func eventMessage(volumeName: String? = nil) -> String {
        switch stage {
        case .containerConfig:
            return "Error: " + message
        case .volumeSetUp:
            return "MountVolume.SetUp failed for volume \(GoQuote.quote(volumeName ?? "")) : " + message
        }
    }

    package var description: String { message }
}

extension PodConfigError {
    /// The watch-based secret manager's NotFound (`GroupResource{Resource: "secret"}`),
    /// so the text is `secret "x" not found`, not the API server's `secrets "x" not found`.
    static func secretNotFound(_ name: String, stage: Stage = .containerConfig) -> PodConfigError {
        PodConfigError("secret \(GoQuote.quote(name)) not found", stage: stage)
    }

    static func configMapNotFound(_ name: String, stage: Stage = .containerConfig) -> PodConfigError {
        PodConfigError("configmap \(GoQuote.quote(name)) not found", stage: stage)
    }

    static func missingSecretKey(_ key: String, namespace: String, name: String) -> PodConfigError {
        PodConfigError("couldn't find key \(key) in Secret \(namespace)/\(name)")
    }

    static func missingConfigMapKey(_ key: String, namespace: String, name: String) -> PodConfigError {
        PodConfigError("couldn't find key \(key) in ConfigMap \(namespace)/\(name)")
    }
}
