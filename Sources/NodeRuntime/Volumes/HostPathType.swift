/// `hostPath.type`: what must (or will be made to) exist at the path.
package enum HostPathType: String, CaseIterable, Sendable {
    /// Unset: nothing is checked, for compatibility with pods from before types existed.
    case unchecked = ""
    case directoryOrCreate = "DirectoryOrCreate"
    case directory = "Directory"
    case fileOrCreate = "FileOrCreate"
    case file = "File"
    case socket = "Socket"
    case charDevice = "CharDevice"
    case blockDevice = "BlockDevice"

    /// The file kind the type demands, as the kubelet's messages name it.
    var expectedKind: HostPathFileKind? {
        switch self {
        case .unchecked: nil
        case .directoryOrCreate, .directory: .directory
        case .fileOrCreate, .file: .file
        case .socket: .socket
        case .charDevice: .charDevice
        case .blockDevice: .blockDevice
        }
    }
}

/// The kinds of file the kubelet tells apart (its hostutil FileType).
enum HostPathFileKind: String, Sendable {
    case directory = "Directory"
    case file = "File"
    case socket = "Socket"
    case charDevice = "CharDevice"
    case blockDevice = "BlockDevice"

    /// How the kubelet's "is not a ..." message describes the expected kind.
    var description: String {
        switch self {
        case .directory: "directory"
        case .file: "file"
        case .socket: "socket file"
        case .charDevice: "character device"
        case .blockDevice: "block device"
        }
    }

    /// Classifies a stat mode; nil for FIFOs (the kubelet cannot classify them either).
    init?(mode: UInt32) {
        switch mode & 0o170000 {
        case 0o040000: self = .directory
        case 0o100000: self = .file
        case 0o140000: self = .socket
        case 0o020000: self = .charDevice
        case 0o060000: self = .blockDevice
        default: return nil
        }
    }
}
