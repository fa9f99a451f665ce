/// mount(2) flags. Kept as our own constants: Glibc's Swift import of
/// <sys/mount.h> exposes them inconsistently across versions.
package struct MountFlags: OptionSet, Sendable, Hashable {
    package let rawValue: UInt
    package init(rawValue: UInt) { self.rawValue = rawValue }

    package static let readOnly = MountFlags(rawValue: 1)
    package static let noSuid = MountFlags(rawValue: 2)
    package static let noDev = MountFlags(rawValue: 4)
    package static let noExec = MountFlags(rawValue: 8)
    package static let synchronous = MountFlags(rawValue: 16)
    package static let remount = MountFlags(rawValue: 32)
    package static let noAtime = MountFlags(rawValue: 1024)
    package static let noDirAtime = MountFlags(rawValue: 2048)
    package static let bind = MountFlags(rawValue: 4096)
    package static let recursive = MountFlags(rawValue: 16384)
    package static let relAtime = MountFlags(rawValue: 1 << 21)
    package static let strictAtime = MountFlags(rawValue: 1 << 24)
    package static let `private` = MountFlags(rawValue: 1 << 18)
    package static let slave = MountFlags(rawValue: 1 << 19)
    package static let shared = MountFlags(rawValue: 1 << 20)

    /// Parses OCI/fstab-style options (`ro`, `nosuid`, `rbind`, ...) into flags
    /// and the leftover data string the filesystem itself interprets.
    package static func parse(options: [String]) -> (flags: MountFlags, data: [String]) {
        var flags: MountFlags = []
        var data: [String] = []
        for option in options {
            switch option {
            case "ro": flags.insert(.readOnly)
            case "rw": flags.remove(.readOnly)
            case "nosuid": flags.insert(.noSuid)
            case "suid": flags.remove(.noSuid)
            case "nodev": flags.insert(.noDev)
            case "dev": flags.remove(.noDev)
            case "noexec": flags.insert(.noExec)
            case "exec": flags.remove(.noExec)
            case "sync": flags.insert(.synchronous)
            case "noatime": flags.insert(.noAtime)
            case "nodiratime": flags.insert(.noDirAtime)
            case "relatime": flags.insert(.relAtime)
            case "strictatime": flags.insert(.strictAtime)
            case "bind": flags.insert(.bind)
            case "rbind": flags.formUnion([.bind, .recursive])
            case "private", "rprivate", "slave", "rslave", "shared", "rshared":
                break // propagation is handled for the rootfs as a whole
            default: data.append(option)
            }
        }
        return (flags, data)
    }
}
