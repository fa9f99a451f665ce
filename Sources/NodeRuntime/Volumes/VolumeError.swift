/// A volume request the node refuses, worded as the kubelet words it so the
/// pod's events read the same as on a kubeadm node. Failed system calls are
/// `SystemError`s instead (errno and step).
package enum VolumeError: Error, CustomStringConvertible, Equatable, Sendable {
    /// hostPath `type` is not one of the Kubernetes `HostPathType` values.
    case invalidHostPathType(String)
    /// A typed hostPath (not `DirectoryOrCreate`/`FileOrCreate`) is missing.
    case hostPathMissing(path: String)
    /// The path exists but is of another kind (`found` is the kubelet's FileType name).
    case hostPathTypeMismatch(path: String, expected: String, found: String)
    /// The path exists but is a FIFO or something else the kubelet cannot classify.
    case hostPathTypeUnknown(path: String, expected: String)
    /// A projected file path the AtomicWriter rejects (`detail` is its message).
    case invalidProjectedPath(String)
    /// A pod UID, volume or storage name that is not a single path component.
    case invalidName(kind: String, name: String)
    /// `path` is mounted with a filesystem other than the one the volume needs.
    case unexpectedMount(path: String, fileSystemType: String, expected: String)
    /// Teardown found a mount it could not remove; nothing below it was deleted.
    case stillMounted([String])
    /// Removal met a directory on another filesystem and refused to descend.
    case crossesFilesystem(path: String)

    package var description: String {
        switch self {
        case .invalidHostPathType(let type):
            return "\(type) is an invalid volume type"
        case .hostPathMissing(let path):
            return "hostPath \(path) doesn't exist"
        case .hostPathTypeMismatch(let path, let expected, let found):
            return "hostPath type check failed: \(path) is not a \(expected), it's a \(found)"
        case .hostPathTypeUnknown(let path, let expected):
            return "hostPath type check failed, \(path) is not a \(expected), unable to determine its type: "
                + "only recognise file, directory, socket, block device and character device"
        case .invalidProjectedPath(let detail):
            return detail
        case .invalidName(let kind, let name):
            return "invalid \(kind) \"\(name)\": must be a single path component"
        case .unexpectedMount(let path, let fileSystemType, let expected):
            return "\(path) is already mounted as \(fileSystemType), expected \(expected)"
        case .stillMounted(let paths):
            return "still mounted after unmount: \(paths.joined(separator: ", "))"
        case .crossesFilesystem(let path):
            return "refusing to remove \(path): it is on another filesystem"
        }
    }
}
