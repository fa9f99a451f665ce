/// A running container seen from outside: enough to start another process
/// inside it (exec) with the same namespaces, cgroup and hardening.
package struct ExecTarget: Sendable {
    /// The container's init (host pid).
    package var pid: Int32
    package var cgroup: CgroupPlacement
    package var capabilities: CapabilityMasks
    package var seccomp: (any CompiledSeccompFilter)?
    package var noNewPrivileges: Bool
    package var uid: UInt32
    package var gid: UInt32
    package var additionalGids: [UInt32]
    /// The container's environment, inherited by exec'd processes.
    package var env: [String]
    package var workingDir: String

    package init(
        pid: Int32, cgroup: CgroupPlacement, capabilities: CapabilityMasks,
        seccomp: (any CompiledSeccompFilter)?, noNewPrivileges: Bool = true, uid: UInt32 = 0, gid: UInt32 = 0,
        additionalGids: [UInt32] = [], env: [String], workingDir: String = "/"
    ) {
        self.pid = pid
        self.cgroup = cgroup
        self.capabilities = capabilities
        self.seccomp = seccomp
        self.noNewPrivileges = noNewPrivileges
        self.uid = uid
        self.gid = gid
        self.additionalGids = additionalGids
        self.env = env
        self.workingDir = workingDir
    }

    /// The launch description of `args` inside the container: every namespace
    /// of its init joined (pid through the parent, mount last), same cgroup,
    /// same capabilities, filter and user.
    package func launchSpec(args: [String], extraEnv: [String] = [], terminal: Bool = false) -> LaunchSpec {
        var spec = LaunchSpec(args: args, env: Self.merge(env, extraEnv + (terminal ? ["TERM=xterm"] : [])))
        let ns = "/proc/\(pid)/ns/"
        for kind in [NamespaceKind.cgroup, .ipc, .uts, .network, .mount] {
            spec.namespaces[kind] = .join(path: ns + kind.procName)
        }
        spec.joinPidNamespace = ns + "pid"
        spec.cgroup = cgroup
        spec.capabilities = capabilities
        spec.seccomp = seccomp
        spec.noNewPrivileges = noNewPrivileges
        spec.uid = uid
        spec.gid = gid
        spec.additionalGids = additionalGids
        spec.workingDir = workingDir
        spec.terminal = terminal
        return spec
    }

    /// Later entries override earlier ones with the same name.
    static func merge(_ base: [String], _ overrides: [String]) -> [String] {
        var result = base
        for entry in overrides {
            let name = entry.split(separator: "=", maxSplits: 1).first.map(String.init) ?? entry
            result.removeAll { $0.hasPrefix(name + "=") }
            result.append(entry)
        }
        return result
    }
}
