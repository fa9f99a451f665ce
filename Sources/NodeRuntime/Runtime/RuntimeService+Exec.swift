import CShims
import Foundation
import Glibc

/// The output of a finished exec (probes, `ExecSync`).
package struct ExecResult: Equatable, Sendable {
    package var stdout: String
    package var stderr: String
    package var exitCode: Int32
    package var timedOut: Bool
}

/// A running exec whose streams the caller copies (kubectl exec, skiff exec).
/// With a terminal, `stdout` is the pty master (also used for input) and
/// `stdin`/`stderr` are -1.
package struct ExecSession: Sendable {
    package var pidfd: Int32
    package var stdin: Int32
    package var stdout: Int32
    package var stderr: Int32
    package var terminal: Bool

    /// Waits for the process (blocking; call off the cooperative pool) and closes the pidfd.
    package func wait() -> Int32 {
        let code = ExitWatcher.reap(pidfd: pidfd).code
        close(pidfd)
        return code
    }
}

extension RuntimeService {
    /// The target for exec: the container's init with its namespaces, cgroup and hardening.
    func execTarget(_ id: String) throws -> ExecTarget {
        guard let record = containers[id] else { throw RuntimeError.notFound("container", id) }
        guard record.state == .running, let process = record.process, process.isAlive else {
            throw RuntimeError("container \"\(record.config.name)\" (\(id.prefix(12))) is not running")
        }
        let cgroup = cgroups.open(record.cgroupPath)
        let seccomp = record.launch.seccomp
            ? try seccompCache.profile(for: .runtimeDefault, capabilities: CapabilitySet(rawValue: record.launch.capabilities))
            : nil
        return ExecTarget(
            pid: process.pid,
            cgroup: CgroupPlacement(unifiedPath: cgroup?.unifiedPath, procsFiles: cgroup?.procsFiles ?? []),
            capabilities: CapabilityMasks(uniform: record.launch.capabilities), seccomp: seccomp,
            noNewPrivileges: record.launch.noNewPrivileges, uid: record.launch.uid, gid: record.launch.gid,
            additionalGids: record.launch.additionalGids, env: record.launch.env, workingDir: record.launch.workingDir)
    }

    /// Runs `command` in the container and collects its output, killing it
    /// after `timeout` (exec probes, CRI ExecSync).
    package func execSync(_ id: String, command: [String], timeout: Duration = .seconds(10)) async throws -> ExecResult {
        let target = try execTarget(id)
        return try await Blocking.run {
            try ExecRunner.runToCompletion(target.launchSpec(args: command), timeout: timeout)
        }
    }

    /// Starts `command` in the container and hands its streams to the caller.
    package func exec(_ id: String, command: [String], terminal: Bool, stdin: Bool) async throws -> ExecSession {
        let target = try execTarget(id)
        return try await Blocking.run {
            try ExecRunner.start(
                target.launchSpec(args: command, terminal: terminal), terminal: terminal, stdin: stdin, ptyRootPid: target.pid)
        }
    }
}

/// Pipes, ptys and waiting for exec'd processes.
package enum ExecRunner {
    /// With `ptyRootPid`, the terminal comes from that process's root's devpts
    /// (the container's own /dev/pts), else from the host's.
    package static func start(_ spec: LaunchSpec, terminal: Bool, stdin: Bool, ptyRootPid: Int32? = nil) throws
        -> ExecSession
    {
        var spec = spec
        if terminal {
            let pty = try ptyRootPid.map { try Pty.open(inRootOf: $0) } ?? Pty.open()
            spec.stdio = [pty.slave, pty.slave, pty.slave]
            defer { close(pty.slave) }
            do {
                let process = try Launcher.launch(spec)
                return ExecSession(pidfd: process.pidfd, stdin: -1, stdout: pty.master, stderr: -1, terminal: true)
            } catch {
                close(pty.master)
                throw error
            }
        }
        let input = stdin ? try pipe() : nil
        let output = try pipe()
        let errors = try pipe()
        spec.stdio = [input?.read, output.write, errors.write]
        defer {
            if let input { close(input.read) }
            close(output.write)
            close(errors.write)
        }
        do {
            let process = try Launcher.launch(spec)
            return ExecSession(
                pidfd: process.pidfd, stdin: input?.write ?? -1, stdout: output.read, stderr: errors.read, terminal: false)
        } catch {
            if let input { close(input.write) }
            close(output.read)
            close(errors.read)
            throw error
        }
    }

    /// Runs to completion, capturing at most 1 MiB of each stream.
    package static func runToCompletion(_ spec: LaunchSpec, timeout: Duration) throws -> ExecResult {
        let session = try start(spec, terminal: false, stdin: false)
        defer {
            close(session.stdout)
            close(session.stderr)
        }
        var out = [UInt8]()
        var err = [UInt8]()
        let deadline = ContinuousClock.now + timeout
        var timedOut = false
        var fds = [
            pollfd(fd: session.stdout, events: Int16(POLLIN), revents: 0),
            pollfd(fd: session.stderr, events: Int16(POLLIN), revents: 0),
        ]
        var buffer = [UInt8](repeating: 0, count: 16384)
        while fds[0].fd >= 0 || fds[1].fd >= 0 {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero {
                timedOut = true
                _ = skiff_pidfd_send_signal(session.pidfd, SIGKILL)
                break
            }
            let millis = Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
            let n = poll(&fds, 2, millis)
            if n < 0 { if errno == EINTR { continue }; break }
            for i in 0..<2 where fds[i].fd >= 0 && fds[i].revents != 0 {
                let got = read(fds[i].fd, &buffer, buffer.count)
                if got <= 0 {
                    fds[i].fd = -1
                    continue
                }
                if i == 0 { if out.count < 1 << 20 { out += buffer[0..<got] } } else if err.count < 1 << 20 { err += buffer[0..<got] }
            }
        }
        let code = session.wait()
        return ExecResult(
            stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
            exitCode: code, timedOut: timedOut)
    }

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        if skiff_pipe2(&fds, O_CLOEXEC) != 0 { throw SystemError.current("pipe2") }
        return (fds[0], fds[1])
    }
}
