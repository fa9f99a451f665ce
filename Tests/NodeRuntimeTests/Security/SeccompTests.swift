import CShims
import Glibc
import Testing

@testable import NodeRuntime

@Suite struct SeccompTests {
    @Test func defaultProfileCompilesToKernelSizedProgram() throws {
        let profile = try SeccompProfile.compile(.runtimeDefault, capabilities: .containerDefault)
        #expect(profile.instructionCount > 100)
        #expect(profile.instructionCount <= 4096)
        #expect(profile.bpfBytes.count == profile.instructionCount * 8)
        #expect(Int(profile.program.pointee.len) == profile.instructionCount)
    }

    @Test func cacheCompilesOncePerPolicyAndCapabilities() throws {
        let cache = SeccompProfileCache()
        let first = try cache.profile(for: .runtimeDefault, capabilities: .containerDefault)
        let again = try cache.profile(for: .runtimeDefault, capabilities: .containerDefault)
        let admin = try cache.profile(for: .runtimeDefault, capabilities: CapabilitySet.containerDefault.union(.sysAdmin))
        #expect(first === again)
        #expect(first !== admin)
        #expect(admin.bpfBytes != first.bpfBytes)

        // A custom filter does not depend on capabilities: one entry for all.
        let custom = SeccompPolicy.custom(SeccompFilterSpec(defaultAction: .allow, rules: [
            SeccompRule(names: ["uname"], action: .errno(UInt16(EACCES)))
        ]))
        let customA = try cache.profile(for: custom, capabilities: .containerDefault)
        let customB = try cache.profile(for: custom, capabilities: .allSupported)
        #expect(customA === customB)
        #expect(cache.count == 3)
    }

    @Test func concurrentLookupsShareOneCompile() async throws {
        let cache = SeccompProfileCache()
        let ids = try await withThrowingTaskGroup(of: ObjectIdentifier.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    ObjectIdentifier(try cache.profile(for: .runtimeDefault, capabilities: .containerDefault))
                }
            }
            return try await group.reduce(into: Set<ObjectIdentifier>()) { $0.insert($1) }
        }
        #expect(ids.count == 1)
        #expect(cache.count == 1)
    }

    @Test func swiftOperatorsMatchTheCHeader() {
        #expect(SeccompOperator.notEqual.rawValue == UInt32(SKIFF_SECCOMP_CMP_NE))
        #expect(SeccompOperator.lessThan.rawValue == UInt32(SKIFF_SECCOMP_CMP_LT))
        #expect(SeccompOperator.lessOrEqual.rawValue == UInt32(SKIFF_SECCOMP_CMP_LE))
        #expect(SeccompOperator.equal.rawValue == UInt32(SKIFF_SECCOMP_CMP_EQ))
        #expect(SeccompOperator.greaterOrEqual.rawValue == UInt32(SKIFF_SECCOMP_CMP_GE))
        #expect(SeccompOperator.greaterThan.rawValue == UInt32(SKIFF_SECCOMP_CMP_GT))
        #expect(SeccompOperator.maskedEqual.rawValue == UInt32(SKIFF_SECCOMP_CMP_MASKED_EQ))
        #expect(SeccompAction.errno(1).rawValue == 0x0005_0001)
    }

    @Test func badRuleInputNamesTheField() throws {
        let badIndex = SeccompFilterSpec(defaultAction: .allow, rules: [
            SeccompRule(names: ["personality"], action: .errno(1), arguments: [
                SeccompArgument(index: 7, op: .equal, value: 0)
            ])
        ])
        let error = #expect(throws: RuntimeError.self) {
            try SeccompProfile.compile(.custom(badIndex), capabilities: [])
        }
        #expect(error?.message.contains("index 7") == true)

        let badArch = SeccompFilterSpec(defaultAction: .allow, architectures: ["vax"], rules: [])
        let systemError = #expect(throws: SystemError.self) {
            try SeccompProfile.compile(.custom(badArch), capabilities: [])
        }
        #expect(systemError?.errno == EINVAL)
        #expect(systemError?.step.contains("vax") == true)
    }
}
