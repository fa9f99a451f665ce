import Foundation
import Glibc
@testable import NodeRuntime

/// Helpers shared by the cgroup tests: scratch directories, a private cgroup2
/// mount, child processes. Everything here is undone by the caller's `defer`.
enum CgroupTestSupport {
    static var isRoot: Bool { geteuid() == 0 }

    /// True on a v1 or hybrid host where we are root: the kernel-backed v1 tests can run.
    static var canUseLegacyCgroups: Bool {
        guard isRoot, let layout = try? CgroupLayout.detect() else { return false }
        if case .unified = layout { return false }
        return true
    }

    static func uniqueName(_ prefix: String = "skiff-test") -> String {
        "\(prefix)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// A fresh directory under /tmp.
    static func makeTemporaryDirectory() throws -> String {
        var template = Array("/tmp/skiff-cgroup-test-XXXXXX".utf8CString)
        guard let result = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw SystemError.current("mkdtemp")
        }
        return String(cString: result)
    }

    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Mounts a cgroup2 filesystem on a new temporary directory.
    static func mountCgroup2() throws -> String {
        let directory = try makeTemporaryDirectory()
        guard mount("none", directory, "cgroup2", 0, nil) == 0 else {
            let error = SystemError.current("mount cgroup2 on \(directory)")
            rmdir(directory)
            throw error
        }
        return directory
    }

    static func unmount(_ directory: String) {
        umount2(directory, Int32(MNT_DETACH))
        rmdir(directory)
    }

    /// Writes a file of a fixture tree (plain files standing in for cgroupfs).
    static func writeFixture(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    static func readFixture(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    /// Contents of a cgroup file without the trailing newline.
    static func value(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A running child process with its stdout and stderr captured.
    ///
    /// Spawned with posix_spawn rather than Foundation's `Process`, whose Linux
    /// implementation hands every child a socket and reports termination only
    /// once all holders (background grandchildren included) have exited.
    final class Child {
        let pid: pid_t
        private var output: Int32
        private var errors: Int32
        private var waitStatus: Int32?

        init(_ executable: String, _ arguments: [String]) throws {
            var outPipe: [Int32] = [-1, -1]
            var errPipe: [Int32] = [-1, -1]
            guard pipe(&outPipe) == 0 else { throw SystemError.current("pipe") }
            guard pipe(&errPipe) == 0 else {
                close(outPipe[0]); close(outPipe[1])
                throw SystemError.current("pipe")
            }
            // Keep our ends out of processes other tests spawn meanwhile.
            for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
            let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
            let envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), nil]
            defer { (argv + envp).forEach { free($0) } }
            var child: pid_t = 0
            let result = posix_spawn(&child, executable, &actions, nil, argv, envp)
            close(outPipe[1])
            close(errPipe[1])
            guard result == 0 else {
                close(outPipe[0]); close(errPipe[0])
                throw SystemError("posix_spawn \(executable)", errno: result)
            }
            pid = child
            output = outPipe[0]
            errors = errPipe[0]
        }

        deinit { stop() }

        /// Reads stdout and stderr to EOF, reaps the process, returns (stdout, stderr).
        @discardableResult
        func finish() -> (output: String, errors: String) {
            let out = Self.drain(&output)
            let err = Self.drain(&errors)
            reap()
            return (out, err)
        }

        /// True when the process ended from SIGKILL (valid after finish()).
        var wasKilled: Bool { waitStatus.map { $0 & 0x7f == SIGKILL } ?? false }

        /// Exit status when it exited normally, else nil (valid after finish()).
        var exitStatus: Int32? {
            guard let status = waitStatus, status & 0x7f == 0 else { return nil }
            return (status >> 8) & 0xff
        }

        /// For `defer`: never leaves a process behind, whatever the test did.
        func stop() {
            if waitStatus == nil { kill(pid, SIGKILL) }
            reap()
            if output >= 0 { close(output); output = -1 }
            if errors >= 0 { close(errors); errors = -1 }
        }

        private func reap() {
            guard waitStatus == nil else { return }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            waitStatus = status
        }

        private static func drain(_ fd: inout Int32) -> String {
            guard fd >= 0 else { return "" }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                bytes += chunk[0..<count]
            }
            close(fd)
            fd = -1
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Best-effort removal of everything a test created below `name` in each
    /// of the driver's hierarchies (processes killed first).
    static func removeLeftovers(_ driver: CgroupDriver, _ name: String) {
        if let cgroup = driver.open(name) { try? cgroup.remove() }
    }

    /// True when no hierarchy of `driver` has `name` below its base.
    static func isGone(_ driver: CgroupDriver, _ name: String) -> Bool {
        switch driver.base {
        case .unified(let base):
            return !FileManager.default.fileExists(atPath: base + "/" + name)
        case .legacy(let bases):
            return bases.values.allSatisfy { !FileManager.default.fileExists(atPath: $0 + "/" + name) }
        }
    }
}
