/// Where the runtime keeps its files and how it names its cgroups.
package struct RuntimeConfig: Sendable {
    /// Persistent data: images, container upper dirs, logs (default /var/lib/skiff).
    package var dataDir: String
    /// Runtime state that lives as long as the machine is up: records of
    /// sandboxes and containers, nsfs bind mounts, FIFOs (default /run/skiff).
    package var stateDir: String
    /// The cgroup subtree all pods live under.
    package var cgroupParent: String
    package var logPolicy: LogRotationPolicy
    /// The node's pod network; nil gives pods loopback only (no bridge, no IPs).
    package var network: PodNetwork.Config?
    /// The node's own network namespace (`skiffd --node-netns`), which
    /// hostNetwork pods join; nil is the daemon's.
    package var nodeNetnsPath: String? { network?.nodeNetnsPath }

    package init(
        dataDir: String = "/var/lib/skiff", stateDir: String = "/run/skiff", cgroupParent: String = "skiff",
        logPolicy: LogRotationPolicy = .kubeletDefault, network: PodNetwork.Config? = nil
    ) {
        self.dataDir = dataDir
        self.stateDir = stateDir
        self.cgroupParent = cgroupParent
        self.logPolicy = logPolicy
        self.network = network
    }

    package var imageStoreDir: String { "\(dataDir)/image-store" }
    /// The inbox a node imports every archive from at start (k3s's agent images dir).
    package var imageInboxDir: String { "\(dataDir)/images" }
    package var podsStateDir: String { "\(stateDir)/pods" }
    package var containersStateDir: String { "\(stateDir)/containers" }
    package var containersDataDir: String { "\(dataDir)/containers" }
    package var logsDir: String { "\(dataDir)/logs" }
    package var ipamDir: String { "\(dataDir)/ipam" }
}
