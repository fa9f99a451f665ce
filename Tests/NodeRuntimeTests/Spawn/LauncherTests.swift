import Foundation
import Glibc
import Testing
@testable import NodeRuntime

/// The launcher against the real kernel: namespaces, mounts, hardening.
@Suite struct LauncherTests {
    @Test func containerIsPIDOneWithItsOwnHostnameAndNoHostProcesses() throws {
        let rootfs = try TestRootfs()
        defer { rootfs.remove() }
        let (output, status) = try runCaptured(
            isolatedSpec(rootfs: rootfs.path, args: ["sh", "-c", "echo pid=$$; hostname; ps -o pid | wc -l"]))
        #expect(status == .exited(code: 0), "\(output)")
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.first == "pid=1")
        #expect(lines.contains("skiff-test"))
        // ps header + sh + ps + wc: only the container's own processes.
        #expect(Int(lines.last ?? "") ?? 99 <= 4, "\(output)")
    }

    @Test func privilegedOperationsAreRefused() throws {
        let rootfs = try TestRootfs()
        defer { rootfs.remove() }
        let (output, status) = try runCaptured(
            isolatedSpec(
                rootfs: rootfs.path,
                args: ["/bin/probe", "mount", "module", "reboot", "settime", "ptrace:\(getpid())", "unshare", "nnp"]))
        #expect(status == .exited(code: 0))
        #expect(output.contains("mount=EPERM"), "\(output)")
        #expect(output.contains("module=EPERM"), "\(output)")
        #expect(output.contains("reboot=EPERM"), "\(output)")
        #expect(output.contains("settime=EPERM"), "\(output)")
        // The host's processes are not even visible from the container's pid namespace.
        #expect(output.contains("ptrace=ESRCH") || output.contains("ptrace=EPERM"), "\(output)")
        #expect(output.contains("unshare=EPERM"), "\(output)")
        #expect(output.contains("nnp=1"), "\(output)")
    }

    @Test func exitCodeAndSignalArePropagated() throws {
        let rootfs = try TestRootfs()
        defer { rootfs.remove() }
        #expect(try runCaptured(isolatedSpec(rootfs: rootfs.path, args: ["sh", "-c", "exit 42"])).status == .exited(code: 42))
        // PID 1 ignores signals it has no handler for, so a container kills a child of its own.
        let killed = try runCaptured(isolatedSpec(rootfs: rootfs.path, args: ["sh", "-c", "sleep 5 & kill -9 $!; wait $!; exit $?"]))
        #expect(killed.status == .exited(code: 137))
    }

    @Test func maskedAndReadOnlyPaths() throws {
        let rootfs = try TestRootfs()
        defer { rootfs.remove() }
        let script = "wc -c < /proc/timer_list; echo x > /proc/sys/kernel/hostname 2>/dev/null && echo writable || echo ro; ls /sys/firmware | wc -l; ls /dev"
        let (output, status) = try runCaptured(isolatedSpec(rootfs: rootfs.path, args: ["sh", "-c", script]))
        #expect(status == .exited(code: 0), "\(output)")
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.first == "0")
        #expect(lines.contains("ro"))
        for device in ["null", "zero", "full", "random", "urandom", "tty", "pts", "shm", "mqueue", "ptmx", "fd"] {
            #expect(lines.contains(device), "missing /dev/\(device) in \(output)")
        }
    }

    @Test func missingExecutableNamesIt() throws {
        let rootfs = try TestRootfs()
        defer { rootfs.remove() }
        #expect {
            _ = try runCaptured(isolatedSpec(rootfs: rootfs.path, args: ["no-such-binary"]))
        } throws: { error in
            "\(error)".contains("no-such-binary") && "\(error)".contains("ENOENT")
        }
    }

    @Test func missingRootfsNamesIt() throws {
        #expect {
            _ = try runCaptured(isolatedSpec(rootfs: "/nonexistent/rootfs", args: ["true"]))
        } throws: { error in
            "\(error)".contains("/nonexistent/rootfs") && "\(error)".contains("ENOENT")
        }
    }

    @Test func symlinkedMountTargetStaysInsideRootfs() throws {
        let rootfs = try TestRootfs()
        defer { rootfs.remove() }
        // An image symlink to an absolute path must resolve inside the rootfs:
        // the mount lands on the rootfs's own directory, never on the host's.
        let hostTarget = rootfs.base.appendingPathComponent("host-dir").path
        try FileManager.default.createDirectory(atPath: hostTarget, withIntermediateDirectories: true)
        let innerTarget = rootfs.path + hostTarget
        try FileManager.default.createDirectory(atPath: innerTarget, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: rootfs.path + "/evil", withDestinationPath: hostTarget)
        var spec = isolatedSpec(
            rootfs: rootfs.path,
            args: ["sh", "-c", "touch /evil/marker && ls \(hostTarget) && grep -c ' \(hostTarget) ' /proc/self/mounts"])
        spec.mounts.append(MountSpec(source: "tmpfs", target: "/evil", type: "tmpfs"))
        let (output, status) = try runCaptured(spec)
        #expect(status == .exited(code: 0), "\(output)")
        #expect(output.contains("marker"))
        #expect(!FileManager.default.fileExists(atPath: hostTarget + "/marker"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: hostTarget).isEmpty)
    }

    /// The child's own marks (for the pod start trace) fall inside the launch,
    /// in order: namespaces and cgroups joined, root filesystem ready, exec.
    @Test func childMarksItsStepsInOrderOnlyWhenAsked() throws {
        let rootfs = try TestRootfs()
        defer { rootfs.remove() }
        var spec = isolatedSpec(rootfs: rootfs.path, args: ["/bin/true"])
        func realtime() -> UInt64 {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
        }
        let plain = try Launcher.launch(spec)
        #expect(plain.childMarks == nil)
        _ = ExitWatcher.reap(pidfd: plain.pidfd)
        close(plain.pidfd)

        spec.recordChildMarks = true
        let before = realtime()
        let process = try Launcher.launch(spec)
        let after = realtime()
        let status = ExitWatcher.reap(pidfd: process.pidfd)
        close(process.pidfd)
        #expect(status == .exited(code: 0))
        let marks = try #require(process.childMarks)
        #expect(before <= marks.joined, "joined \(marks.joined) before the launch began at \(before)")
        #expect(marks.joined <= marks.rootfs)
        #expect(marks.rootfs <= marks.exec)
        #expect(marks.exec <= after, "exec \(marks.exec) after the launch returned at \(after)")
    }
}
