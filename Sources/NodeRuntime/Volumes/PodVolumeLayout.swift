/// Where a pod's volumes live on the node, laid out as the kubelet lays out
/// /var/lib/kubelet/pods: `<root>/<podUID>/volumes/kubernetes.io~<plugin>/<name>`.
///
/// Pure path arithmetic; nothing is created here. The UID and names are
/// checked to be single path components so a crafted name cannot point a
/// volume (or its teardown) outside the pod's directory.
package struct PodVolumeLayout: Sendable, Equatable {
    /// The directory holding every pod's directory (the agent passes DATA/pods).
    package let root: String
    package let podUID: String

    package init(root: String, podUID: String) throws {
        try Self.checkComponent(podUID, kind: "pod UID")
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
        self.podUID = podUID
    }

    /// `<root>/<podUID>`: everything the node keeps for this pod.
    package var podDirectory: String { root + "/" + podUID }

    /// `<root>/<podUID>/volumes`.
    package var volumesDirectory: String { podDirectory + "/volumes" }

    /// `<volumes>/kubernetes.io~<plugin>`.
    package func pluginDirectory(_ plugin: VolumePlugin) -> String {
        volumesDirectory + "/" + plugin.directoryName
    }

    /// `<volumes>/kubernetes.io~<plugin>/<name>`: the host path a container mounts.
    package func path(_ plugin: VolumePlugin, name: String) throws -> String {
        try Self.checkComponent(name, kind: "volume name")
        return pluginDirectory(plugin) + "/" + name
    }

    /// Refuses empty names, `.`, `..` and anything with a slash or NUL.
    static func checkComponent(_ name: String, kind: String) throws {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.utf8.contains(0) else {
            throw VolumeError.invalidName(kind: kind, name: name)
        }
    }
}
