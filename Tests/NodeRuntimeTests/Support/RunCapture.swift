import CShims
import Glibc
@testable import NodeRuntime

/// Launches a spec with stdout+stderr captured through a pipe and waits for exit.
func runCaptured(_ spec: LaunchSpec) throws -> (output: String, status: ExitStatus) {
    var fds: [Int32] = [0, 0]
    guard skiff_pipe2(&fds, O_CLOEXEC) == 0 else { throw SystemError.current("pipe2") }
    var spec = spec
    spec.stdio = [nil, fds[1], fds[1]]
    let process: LaunchedProcess
    do {
        process = try Launcher.launch(spec)
    } catch {
        close(fds[0])
        close(fds[1])
        throw error
    }
    close(fds[1])
    var output = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = read(fds[0], &buffer, buffer.count)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        output.append(contentsOf: buffer[0..<n])
    }
    close(fds[0])
    let status = ExitWatcher.reap(pidfd: process.pidfd)
    close(process.pidfd)
    return (String(decoding: output, as: UTF8.self), status)
}


/// A fully isolated spec over a rootfs directory, as the runtime builds them.
func isolatedSpec(rootfs: String, args: [String]) -> LaunchSpec {
    var spec = LaunchSpec(args: args, env: [ContainerDefaults.defaultPath, "HOME=/root"])
    for kind in [NamespaceKind.pid, .network, .mount, .ipc, .uts, .cgroup] { spec.namespaces[kind] = .new }
    spec.hostname = "skiff-test"
    spec.rootfs = .directory(path: rootfs)
    spec.mounts = ContainerDefaults.mounts(unifiedCgroup: false)
    spec.maskedPaths = ContainerDefaults.maskedPaths
    spec.readOnlyPaths = ContainerDefaults.readOnlyPaths
    spec.capabilities = CapabilityMasks(.containerDefault)
    spec.seccomp = try? SeccompProfileCache.shared.profile(for: .runtimeDefault, capabilities: .containerDefault)
    spec.workingDir = "/"
    return spec
}
