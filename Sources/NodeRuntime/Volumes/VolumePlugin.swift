/// The kubelet's volume plugin names, as they appear in a pod's volumes
/// directory (`kubernetes.io~empty-dir`), so tools that know the kubelet's
/// layout find volumes where they expect them.
package enum VolumePlugin: String, CaseIterable, Sendable {
    case emptyDir = "empty-dir"
    case secret = "secret"
    case configMap = "configmap"
    case downwardAPI = "downward-api"
    case projected = "projected"

    /// The directory name under `volumes/`.
    package var directoryName: String { "kubernetes.io~" + rawValue }
}
