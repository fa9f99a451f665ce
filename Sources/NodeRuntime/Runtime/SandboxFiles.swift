import CShims
import Foundation
import Glibc

/// The filesystem side of a pod sandbox: namespace bind mounts and the
/// files every container of the pod shares (/etc/hosts, /etc/hostname,
/// /etc/resolv.conf).
enum SandboxFiles {
    static func create(_ record: PodSandboxRecord, stateDir dir: String) throws {
        try StateFile.makeDirectory("\(dir)/ns", mode: 0o700)
        var flags: UInt = NamespaceKind.uts.cloneFlag
        if record.netnsPath != nil { flags |= NamespaceKind.network.cloneFlag }
        if record.ipcPath != nil { flags |= NamespaceKind.ipc.cloneFlag }
        var error = skiff_spawn_error()
        let rc = skiff_pod_namespaces_create(
            flags, record.config.hostname, record.netnsPath, record.ipcPath, record.utsPath, &error)
        if rc != 0 { throw SpawnError(error) }

        let hosts = """
            # Kubernetes-managed hosts file (skiff).
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            \(record.config.hostEntries.joined(separator: "\n"))
            """
        try write(hosts + "\n", to: "\(dir)/hosts")
        try write(record.config.hostname + "\n", to: "\(dir)/hostname")
        let resolv = record.config.resolvConf
            ?? (FileManager.default.contents(atPath: "/etc/resolv.conf").map { String(decoding: $0, as: UTF8.self) } ?? "")
        try write(resolv, to: "\(dir)/resolv.conf")
        // The record itself is written by runPodSandbox once the network is attached.
        try StateFile.makeDirectory(record.logDirectory, mode: 0o755)
    }

    /// The pod's own files, bind-mounted into each of its containers.
    static func mounts(stateDir dir: String) -> [MountSpec] {
        ["hosts", "hostname", "resolv.conf"].map { name in
            MountSpec.bind("\(dir)/\(name)", at: "/etc/\(name)", isFile: true)
        }
    }

    static func remove(_ record: PodSandboxRecord, stateDir dir: String) {
        for path in [record.netnsPath, record.ipcPath, record.utsPath].compactMap({ $0 }) {
            _ = umount2(path, Int32(MNT_DETACH))
        }
        StateFile.removeTree(dir)
    }

    /// A sandbox directory with no record: the process was killed between
    /// mounting the namespaces and writing `sandbox.json`. Nothing refers to
    /// it, so its namespaces are unmounted and it goes (the netns, and with
    /// it the pod's veth, disappear with the last mount).
    static func removeHalfMade(stateDir dir: String) {
        for name in ["net", "ipc", "uts"] {
            _ = umount2("\(dir)/ns/\(name)", Int32(MNT_DETACH))
        }
        StateFile.removeTree(dir)
    }

    private static func write(_ text: String, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o644]) else {
            throw SystemError.current("write \(path)")
        }
    }
}
