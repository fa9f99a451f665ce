import Glibc
import Testing

@testable import NodeRuntime

extension SeccompTests {
    /// The compiled programs installed in a real process (see SeccompProbe).
    @Suite(.enabled(if: SeccompProbe.isAvailable, "needs root and a C compiler"))
    struct Enforcement {
        /// Calls moby's default profile denies to a container with the default capabilities.
        static let deniedByDefault = [
            "unshare", "sethostname", "mount", "umount2", "setns", "pivot_root", "keyctl",
            "request_key", "clock_settime", "settimeofday", "reboot", "init_module",
            "finit_module", "delete_module", "kexec_load", "bpf", "perf_event_open",
            "open_by_handle_at", "acct", "swapoff", "personality_no_randomize",
            "socket_vsock", "socket_alg", "clone_newuts",
        ]

        static let allowedByDefault = [
            "getpid", "write", "uname", "chroot", "personality_query", "personality_linux",
            "socket_inet", "socket_unix", "clone_plain", "pthread_create",
        ]

        @Test func defaultProfileBlocksWhatMobyBlocks() throws {
            let profile = try SeccompProfile.compile(.runtimeDefault, capabilities: .containerDefault)
            let results = try SeccompProbe.run(bpf: profile.bpfBytes)
            for name in Self.deniedByDefault {
                #expect(results[name] == EPERM, "\(name)")
            }
            for name in Self.allowedByDefault {
                #expect(results[name] == 0, "\(name)")
            }
            // clone3 says ENOSYS so libc falls back to clone, whose flags BPF can see;
            // pthread_create succeeding above is that fallback at work.
            #expect(results["clone3"] == ENOSYS)
            // moby allows ptrace (kernel >= 4.8): the kernel answers, not the filter.
            #expect(results["ptrace"] == ESRCH)
            // i386 syscalls are filtered too rather than killing the process.
            if results["i386_getpid"] == 0 {
                #expect(results["i386_unshare"] == EPERM)
            }
        }

        @Test func capabilitiesUnlockTheirGroups() throws {
            let caps = CapabilitySet.containerDefault.union([.sysAdmin, .sysTime, .sysModule, .sysBoot])
            let profile = try SeccompProfile.compile(.runtimeDefault, capabilities: caps)
            let results = try SeccompProbe.run(bpf: profile.bpfBytes)
            #expect(results["unshare"] == 0)
            #expect(results["clone_newuts"] == 0)
            #expect(results["mount"] == ENOENT)
            #expect(results["umount2"] == ENOENT)
            #expect(results["setns"] == EBADF)
            #expect(results["clone3"] == EINVAL)
            #expect(results["clock_settime"] == EINVAL)
            // The kernel answers (ENOENT, or ENOSYS without module support): not EPERM.
            #expect(results["delete_module"] != EPERM)
            #expect(results["reboot"] == EINVAL)
            // Still outside every group.
            #expect(results["keyctl"] == EPERM)
            #expect(results["kexec_load"] == EPERM)
            #expect(results["socket_vsock"] == EPERM)
        }

        @Test func customOCIProfileIsEnforced() throws {
            let oci = OCISeccomp(
                defaultAction: "SCMP_ACT_ALLOW",
                // Without the compat arches an i386 syscall would kill the probe.
                architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                syscalls: [
                    .init(names: ["uname", "skiff_no_such_syscall"], action: "SCMP_ACT_ERRNO", errnoRet: UInt32(EACCES)),
                    .init(names: ["personality"], action: "SCMP_ACT_ERRNO", args: [
                        .init(index: 0, value: 0x0040000 /* ADDR_NO_RANDOMIZE */, op: "SCMP_CMP_EQ")
                    ]),
                ])
            let spec = try SeccompFilterSpec(oci: oci)
            let profile = try SeccompProfile.compile(.custom(spec), capabilities: [])
            let results = try SeccompProbe.run(bpf: profile.bpfBytes)
            #expect(results["uname"] == EACCES)
            #expect(results["personality_no_randomize"] == EPERM)
            #expect(results["personality_linux"] == 0)
            #expect(results["getpid"] == 0)
            #expect(results["unshare"] == 0)
        }
    }
}
