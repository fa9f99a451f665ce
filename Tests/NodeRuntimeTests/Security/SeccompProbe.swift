import Foundation
import Glibc

/// Runs a compiled filter for real in a separate process.
///
/// Forking the multithreaded test runner is unsafe, so a tiny C program is
/// compiled once (cc, or the Swift toolchain's clang) and spawned: it loads
/// the BPF from a file, sets NO_NEW_PRIVS, installs the filter, tries a list
/// of syscalls and prints `name=errno` (0 for success). Probes that an
/// unfiltered root process would run use arguments that make them fail
/// harmlessly (ENOENT, EINVAL, EBADF), so EPERM can only come from the filter.
enum SeccompProbe {
    /// True when a C compiler exists and we are root (unfiltered, the
    /// privileged probes must get past permission checks).
    static var isAvailable: Bool { compiler != nil && getuid() == 0 }

    /// Installs `bpf` in a fresh process and returns each probe's errno.
    static func run(bpf: [UInt8]) throws -> [String: Int32] {
        let executable = try built.get()
        let bpfPath = directory + "/filter-\(UUID().uuidString).bpf"
        try Data(bpf).write(to: URL(fileURLWithPath: bpfPath))
        defer { unlink(bpfPath) }
        let (status, output) = try execute(executable, [bpfPath])
        guard status == 0 else {
            throw ProbeError("probe exited \(status): \(output)")
        }
        var results: [String: Int32] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Int32(parts[1]) {
                results[String(parts[0])] = value
            }
        }
        return results
    }

    struct ProbeError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// A build artifact beside the other test fixtures (.build/skiff-fixtures), not test state in /tmp.
    private static let directory: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent(".build/skiff-fixtures/seccomp-probe").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    private static let compiler: String? = {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["cc", "gcc", "clang"] {
            for dir in searchPath.split(separator: ":") where access("\(dir)/\(name)", X_OK) == 0 {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }()

    /// Built once per source version and reused across runs: the binary is
    /// named by a hash of the source and renamed into place when complete.
    private static let built: Result<String, ProbeError> = {
        guard let compiler else { return .failure(ProbeError("no C compiler in PATH")) }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in probeSource.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let binary = directory + "/probe-" + String(hash, radix: 16)
        if access(binary, X_OK) == 0 { return .success(binary) }
        let source = directory + "/probe-\(getpid()).c"
        let partial = directory + "/probe-\(getpid()).tmp"
        defer { unlink(source) }
        do {
            try probeSource.write(toFile: source, atomically: true, encoding: .utf8)
            let (status, output) = try execute(compiler, ["-O0", "-pthread", "-o", partial, source])
            guard status == 0, rename(partial, binary) == 0 else {
                unlink(partial)
                return .failure(ProbeError("\(compiler) failed (\(status)): \(output)"))
            }
            return .success(binary)
        } catch {
            return .failure(ProbeError("building the probe: \(error)"))
        }
    }()

    private static func execute(_ path: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static let probeSource = #"""
        #define _GNU_SOURCE
        #include <errno.h>
        #include <fcntl.h>
        #include <pthread.h>
        #include <sched.h>
        #include <signal.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <time.h>
        #include <unistd.h>
        #include <linux/filter.h>
        #include <linux/seccomp.h>
        #include <sys/mount.h>
        #include <sys/personality.h>
        #include <sys/prctl.h>
        #include <sys/ptrace.h>
        #include <sys/socket.h>
        #include <sys/swap.h>
        #include <sys/syscall.h>
        #include <sys/utsname.h>
        #include <sys/wait.h>

        #define NOWHERE "/nonexistent-skiff-probe"
        #define PROBE(name, expr) do { errno = 0; long rc_ = (long)(expr); \
            printf("%s=%d\n", name, rc_ < 0 ? errno : 0); } while (0)

        static void *thread_main(void *arg) { return arg; }

        /* An i386-ABI syscall from a 64-bit process: checks the x86 arch is filtered too. */
        static long int80(long nr, long a) {
        #if defined(__x86_64__)
            long ret;
            __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(0), "d"(0)
                             : "memory", "r8", "r9", "r10", "r11");
            return ret;
        #else
            (void)nr; (void)a;
            return -ENOSYS;
        #endif
        }

        static void probe_clone(const char *name, unsigned long flags) {
            fflush(stdout);
            long pid = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
            if (pid == 0) _exit(0);
            int err = pid < 0 ? errno : 0;
            if (pid > 0) waitpid((pid_t)pid, NULL, 0);
            printf("%s=%d\n", name, err);
        }

        int main(int argc, char **argv) {
            if (argc < 2) return 2;
            FILE *f = fopen(argv[1], "rb");
            if (f == NULL) { perror("fopen"); return 3; }
            static struct sock_filter insns[4096];
            size_t n = fread(insns, sizeof(insns[0]), 4096, f);
            fclose(f);
            struct sock_fprog prog = { .len = (unsigned short)n, .filter = insns };
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) { perror("no_new_privs"); return 4; }
            if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) { perror("seccomp"); return 5; }

            struct utsname uts;
            struct timespec ts = { 0, 0 };
            long data = 0;
            PROBE("getpid", syscall(SYS_getpid));
            PROBE("write", write(STDOUT_FILENO, "", 0));
            PROBE("uname", uname(&uts));
            PROBE("chroot", chroot("/"));
            PROBE("ptrace", syscall(SYS_ptrace, PTRACE_PEEKUSER, getpid(), 0, &data));
            PROBE("unshare", unshare(CLONE_NEWUTS));
            PROBE("sethostname", sethostname("skiff-probe", 11));
            PROBE("mount", mount("none", NOWHERE, "tmpfs", 0, NULL));
            PROBE("umount2", umount2(NOWHERE, 0));
            PROBE("setns", setns(-1, 0));
            PROBE("pivot_root", syscall(SYS_pivot_root, NOWHERE, NOWHERE));
            PROBE("keyctl", syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3 /* session */, 0));
            PROBE("request_key", syscall(SYS_request_key, "user", "skiff-probe-none", NULL, 0));
            PROBE("clock_settime", syscall(SYS_clock_settime, CLOCK_MONOTONIC, &ts));
            PROBE("settimeofday", syscall(SYS_settimeofday, NULL, NULL));
            PROBE("reboot", syscall(SYS_reboot, 0, 0, 0, NULL));
            PROBE("init_module", syscall(SYS_init_module, NULL, 0, ""));
            PROBE("finit_module", syscall(SYS_finit_module, -1, "", 0));
            PROBE("delete_module", syscall(SYS_delete_module, "skiff_probe_none", O_NONBLOCK));
            PROBE("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0xffff0000UL));
            PROBE("bpf", syscall(SYS_bpf, -1, NULL, 0));
            PROBE("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
            PROBE("open_by_handle_at", syscall(SYS_open_by_handle_at, -1, NULL, 0));
            PROBE("acct", acct(NOWHERE));
            PROBE("swapoff", swapoff(NOWHERE));
            PROBE("clone3", syscall(SYS_clone3, NULL, 0));
            PROBE("personality_query", personality(0xffffffff));
            PROBE("personality_linux", personality(PER_LINUX));
            PROBE("personality_no_randomize", personality(ADDR_NO_RANDOMIZE));

            int fd = socket(AF_INET, SOCK_DGRAM, 0);
            printf("socket_inet=%d\n", fd < 0 ? errno : 0);
            if (fd >= 0) close(fd);
            fd = socket(AF_UNIX, SOCK_STREAM, 0);
            printf("socket_unix=%d\n", fd < 0 ? errno : 0);
            if (fd >= 0) close(fd);
            fd = socket(40 /* AF_VSOCK */, SOCK_STREAM, 0);
            printf("socket_vsock=%d\n", fd < 0 ? errno : 0);
            if (fd >= 0) close(fd);
            fd = socket(38 /* AF_ALG */, SOCK_SEQPACKET, 0);
            printf("socket_alg=%d\n", fd < 0 ? errno : 0);
            if (fd >= 0) close(fd);

            probe_clone("clone_plain", 0);
            probe_clone("clone_newuts", CLONE_NEWUTS);
            pthread_t thread;
            int rc = pthread_create(&thread, NULL, thread_main, NULL);
            if (rc == 0) pthread_join(thread, NULL);
            printf("pthread_create=%d\n", rc);

            fflush(stdout); /* a filter without the x86 arch kills us here */
            long ret = int80(20 /* i386 getpid */, 0);
            printf("i386_getpid=%ld\n", ret < 0 ? -ret : 0);
            ret = int80(310 /* i386 unshare */, CLONE_NEWUTS);
            printf("i386_unshare=%ld\n", ret < 0 ? -ret : 0);
            return 0;
        }
        """#
}
