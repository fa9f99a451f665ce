import Testing

@testable import NodeRuntime

extension SeccompTests {
    @Suite struct Capabilities {
        @Test func containerDefaultIsDockersMask() {
            // What `grep CapEff /proc/self/status` shows in a default Docker container.
            #expect(CapabilitySet.containerDefault.rawValue == 0xa804_25fb)
            #expect(CapabilitySet.containerDefault.names == [
                "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
                "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT",
                "CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_SETFCAP",
            ])
        }

        @Test(arguments: [
            ("NET_ADMIN", CapabilitySet.netAdmin), ("CAP_NET_ADMIN", .netAdmin), ("cap_net_admin", .netAdmin),
            ("Net_Admin", .netAdmin), ("SYS_ADMIN", .sysAdmin), ("chown", .chown), ("BPF", .bpf),
            ("CAP_CHECKPOINT_RESTORE", .checkpointRestore), ("sys_time", .sysTime), ("PERFMON", .perfmon),
        ])
        func parsesNamesWithOrWithoutPrefix(name: String, expected: CapabilitySet) throws {
            #expect(try CapabilitySet(names: [name]) == expected)
        }

        @Test func staticConstantsAgreeWithLibcap() throws {
            for number in 0...40 {
                let name = CapabilitySet.name(of: number)
                #expect(try CapabilitySet.number(named: name) == number, "\(name)")
            }
            #expect(CapabilitySet.name(of: 12) == "CAP_NET_ADMIN")
            #expect(CapabilitySet.name(of: 25) == "CAP_SYS_TIME")
        }

        @Test(arguments: ["NET_BOGUS", "CAP_", "12", "", "NET ADMIN", "CAP_NET_ADMIN\u{0}"])
        func unknownNamesAreErrorsNamingThem(name: String) {
            let error = #expect(throws: RuntimeError.self) { try CapabilitySet(names: ["CHOWN", name]) }
            #expect(error?.message.contains("\"\(name)\"") == true, "\(error?.message ?? "")")
        }

        @Test func allMeansEveryCapabilityTheKernelKnows() throws {
            let all = try CapabilitySet(names: ["all"])
            #expect(all == .allSupported)
            #expect(all.numbers.first == 0)
            #expect(all.numbers.last == CapabilitySet.lastSupported)
            #expect(CapabilitySet.lastSupported >= 37)
        }

        @Test func addAndDropFollowContainerd() throws {
            let base = CapabilitySet.containerDefault
            #expect(try base.applying(add: ["NET_ADMIN"], drop: ["MKNOD", "cap_net_raw"])
                == base.union(.netAdmin).subtracting([.mknod, .netRaw]))
            #expect(try base.applying(add: ["ALL"], drop: ["CHOWN"]) == CapabilitySet.allSupported.subtracting(.chown))
            #expect(try base.applying(add: ["NET_BIND_SERVICE"], drop: ["ALL"]) == .netBindService)
            #expect(try base.applying(add: [], drop: []) == base)
            let error = #expect(throws: RuntimeError.self) { try base.applying(add: [], drop: ["SYS_FOO"]) }
            #expect(error?.message == "capability \"SYS_FOO\": unknown capability")
        }
    }
}
