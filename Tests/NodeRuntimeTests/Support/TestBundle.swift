import Foundation

/// An OCI bundle over a TestRootfs with a runc-style default config.json.
struct TestBundle {
    let rootfs: TestRootfs
    var path: String { rootfs.base.path }
    /// A unique state root for `skiff runtime --root`.
    var stateRoot: String { rootfs.base.appendingPathComponent("state").path }

    init(args: [String], edit: (inout [String: Any]) -> Void = { _ in }) throws {
        rootfs = try TestRootfs()
        var config = Self.defaultConfig(args: args)
        edit(&config)
        try writeConfig(config)
    }

    func writeConfig(_ config: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted])
        try data.write(to: rootfs.base.appendingPathComponent("config.json"))
    }

    func writeRawConfig(_ text: String) throws {
        try Data(text.utf8).write(to: rootfs.base.appendingPathComponent("config.json"))
    }

    func remove() { rootfs.remove() }

    static func defaultConfig(args: [String]) -> [String: Any] {
        let caps = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
        return [
            "ociVersion": "1.0.2",
            "process": [
                "terminal": false, "user": ["uid": 0, "gid": 0], "args": args,
                "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "cwd": "/",
                "capabilities": ["bounding": caps, "effective": caps, "permitted": caps, "ambient": caps],
                "noNewPrivileges": true,
            ] as [String: Any],
            "root": ["path": "rootfs", "readonly": false] as [String: Any],
            "hostname": "bundle",
            "mounts": [
                ["destination": "/proc", "type": "proc", "source": "proc"],
                ["destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]],
                ["destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]],
                ["destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]],
                ["destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"]],
                ["destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]],
                ["destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]],
            ],
            "linux": [
                "namespaces": [["type": "pid"], ["type": "network"], ["type": "ipc"], ["type": "uts"], ["type": "mount"], ["type": "cgroup"]],
                "maskedPaths": ["/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"],
                "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
            ] as [String: Any],
        ]
    }
}

/// The `skiff` executable built next to the test bundle.
enum SkiffBinary {
    static var path: String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0])
        var dir = testBinary.deletingLastPathComponent()
        // The test binary may sit inside SkiffPackageTests.xctest on some layouts.
        if !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("skiff").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("skiff").path
    }

    static func run(_ arguments: [String]) throws -> Shell.Result {
        try Shell.run(path, arguments)
    }
}
