import Foundation
import Testing

@testable import NodeRuntime

extension SeccompTests {
    @Suite struct OCI {
        @Test func decodesRuntimeSpecJSON() throws {
            let json = #"""
                {
                  "defaultAction": "SCMP_ACT_ERRNO",
                  "defaultErrnoRet": 38,
                  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                  "syscalls": [
                    {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                    {"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
                    {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
                     "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
                    {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                     "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"},
                              {"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}
                  ]
                }
                """#
            let oci = try JSONDecoder().decode(OCISeccomp.self, from: Data(json.utf8))
            let spec = try SeccompFilterSpec(oci: oci)
            #expect(spec.defaultAction == .errno(38))
            #expect(spec.architectures == ["x86_64", "x86", "x32"])
            #expect(spec.rules.count == 5)
            #expect(spec.rules[0] == SeccompRule(names: ["read", "write"], action: .allow))
            #expect(spec.rules[1].action == .errno(13))
            #expect(spec.rules[2].arguments == [SeccompArgument(index: 0, op: .maskedEqual, value: 0x7E02_0000)])
            // The same index twice means either value: one rule per comparison.
            #expect(spec.rules[3].arguments == [SeccompArgument(index: 0, op: .equal, value: 0)])
            #expect(spec.rules[4].arguments == [SeccompArgument(index: 0, op: .equal, value: 8)])
            let profile = try SeccompProfile.compile(.custom(spec), capabilities: [])
            #expect(profile.instructionCount > 0)
        }

        @Test func errnoActionsDefaultToEPERM() throws {
            let spec = try SeccompFilterSpec(oci: OCISeccomp(
                defaultAction: "SCMP_ACT_ERRNO",
                syscalls: [.init(names: ["getpid"], action: "SCMP_ACT_ALLOW")]))
            #expect(spec.defaultAction == .errno(1))
        }

        @Test(arguments: [
            (OCISeccomp(defaultAction: "SCMP_ACT_BOGUS"), "SCMP_ACT_BOGUS"),
            (OCISeccomp(defaultAction: "SCMP_ACT_NOTIFY"), "SCMP_ACT_NOTIFY"),
            (OCISeccomp(defaultAction: "SCMP_ACT_ALLOW", architectures: ["x86_64"]), "x86_64"),
            (OCISeccomp(defaultAction: "SCMP_ACT_ALLOW", flags: ["SECCOMP_FILTER_FLAG_LOG"]), "SECCOMP_FILTER_FLAG_LOG"),
            (OCISeccomp(defaultAction: "SCMP_ACT_ALLOW", listenerPath: "/run/agent.sock"), "listenerPath"),
            (OCISeccomp(defaultAction: "SCMP_ACT_ALLOW", syscalls: [
                .init(names: ["read"], action: "SCMP_ACT_ERRNO", errnoRet: 70000)
            ]), "syscalls[0].action errnoRet 70000"),
            (OCISeccomp(defaultAction: "SCMP_ACT_ALLOW", syscalls: [
                .init(names: ["read"], action: "SCMP_ACT_ERRNO", args: [.init(index: 0, value: 1, op: "SCMP_CMP_ABOUT")])
            ]), "SCMP_CMP_ABOUT"),
        ])
        func rejectsWhatItCannotEnforce(oci: OCISeccomp, named: String) {
            let error = #expect(throws: RuntimeError.self) { try SeccompFilterSpec(oci: oci) }
            #expect(error?.message.contains(named) == true, "\(error?.message ?? "")")
        }
    }
}
