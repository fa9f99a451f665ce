/// Linux namespace kinds with their CLONE_NEW* values. Spelled out here
/// because Glibc's Swift overlay hides the GNU-only constants.
package enum NamespaceKind: String, CaseIterable, Sendable, Codable {
    case pid, network, mount, ipc, uts, user, cgroup

    package var cloneFlag: UInt {
        switch self {
        case .mount: 0x0002_0000
        case .cgroup: 0x0200_0000
        case .uts: 0x0400_0000
        case .ipc: 0x0800_0000
        case .user: 0x1000_0000
        case .pid: 0x2000_0000
        case .network: 0x4000_0000
        }
    }

    /// The file name under /proc/<pid>/ns/.
    package var procName: String {
        switch self {
        case .pid: "pid"
        case .network: "net"
        case .mount: "mnt"
        case .ipc: "ipc"
        case .uts: "uts"
        case .user: "user"
        case .cgroup: "cgroup"
        }
    }

    /// The OCI runtime-spec name (`linux.namespaces[].type`).
    package init?(ociName: String) {
        switch ociName {
        case "pid": self = .pid
        case "network": self = .network
        case "mount": self = .mount
        case "ipc": self = .ipc
        case "uts": self = .uts
        case "user": self = .user
        case "cgroup": self = .cgroup
        default: return nil
        }
    }
}

/// How a process gets one namespace: a fresh one, or an existing one joined
/// through its nsfs path (a pod sandbox's bind mount or /proc/<pid>/ns/*).
package enum NamespaceMode: Equatable, Sendable {
    case new
    case join(path: String)
}
