import Testing
@testable import NodeRuntime

/// The values derived from ResourceLimits, independent of any kernel.
struct CgroupLimitValueTests {
    @Test func cpuWeightMatchesRuncFormula() {
        #expect(ResourceLimits.cpuWeight(forShares: 2) == 1)
        #expect(ResourceLimits.cpuWeight(forShares: 1024) == 39)
        #expect(ResourceLimits.cpuWeight(forShares: 262_144) == 10_000)
        #expect(ResourceLimits.cpuWeight(forShares: 512) == 1 + (510 * 9999) / 262_142)
    }

    @Test func unifiedValuesForLimits() {
        let limits = ResourceLimits(cpuQuotaMicros: 25_000, cpuPeriodMicros: 50_000, cpuShares: 1024,
                                    memoryLimitBytes: 128 << 20, memorySwapLimitBytes: 192 << 20, pidsLimit: 100)
        let values = Dictionary(uniqueKeysWithValues: limits.unifiedValues.map { ($0.file, $0.value) })
        #expect(values == [
            "cpu.max": "25000 50000", "cpu.weight": "39", "memory.max": "134217728",
            "memory.swap.max": "67108864", "pids.max": "100",
        ])
        #expect(limits.unifiedValues.allSatisfy { $0.isLimit })
    }

    @Test func unifiedValuesForNoLimits() {
        let values = Dictionary(uniqueKeysWithValues: ResourceLimits.unlimited.unifiedValues.map { ($0.file, $0.value) })
        #expect(values == [
            "cpu.max": "max 100000", "cpu.weight": "100", "memory.max": "max",
            "memory.swap.max": "max", "pids.max": "max",
        ])
        #expect(ResourceLimits.unlimited.unifiedValues.allSatisfy { !$0.isLimit })
    }

    @Test func kubernetesConversion() {
        let limits = ResourceLimits.fromKubernetes(cpuRequestMillis: 250, cpuLimitMillis: 500, memoryLimitBytes: 64 << 20)
        #expect(limits.cpuShares == 256)
        #expect(limits.cpuQuotaMicros == 50_000)
        #expect(limits.cpuPeriodMicros == 100_000)
        #expect(limits.memoryLimitBytes == 64 << 20)
        #expect(limits.memorySwapLimitBytes == 64 << 20)
        #expect(ResourceLimits.fromKubernetes().cpuShares == 2)
        #expect(ResourceLimits.fromKubernetes().cpuQuotaMicros == nil)
        #expect(ResourceLimits.fromKubernetes(cpuLimitMillis: 5).cpuQuotaMicros == 1000)
        #expect(ResourceLimits.fromKubernetes(cpuRequestMillis: 1_000_000).cpuShares == 262_144)
    }

    @Test func validationNamesFieldAndValue() {
        let cases: [(ResourceLimits, String)] = [
            (ResourceLimits(cpuQuotaMicros: -5), "cpuQuotaMicros: invalid value -5"),
            (ResourceLimits(cpuPeriodMicros: 0), "cpuPeriodMicros: invalid value 0"),
            (ResourceLimits(cpuShares: 1), "cpuShares: invalid value 1"),
            (ResourceLimits(memoryLimitBytes: 0), "memoryLimitBytes: invalid value 0"),
            (ResourceLimits(memorySwapLimitBytes: 10), "memorySwapLimitBytes: invalid value 10"),
            (ResourceLimits(memoryLimitBytes: 20, memorySwapLimitBytes: 10), "memorySwapLimitBytes: invalid value 10"),
            (ResourceLimits(pidsLimit: 0), "pidsLimit: invalid value 0"),
        ]
        for (limits, prefix) in cases {
            let error = #expect(throws: RuntimeError.self) { try limits.validate() }
            #expect(error?.message.hasPrefix(prefix) == true, "\(error?.message ?? "no error")")
        }
        #expect(throws: Never.self) { try ResourceLimits.fromKubernetes(cpuLimitMillis: 100, memoryLimitBytes: 1 << 20).validate() }
    }

    @Test func deviceRuleSyntax() {
        #expect(DeviceRule.standardContainer.map(\.description) == [
            "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
            "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm",
        ])
        #expect(DeviceRule(.all, major: nil, minor: nil).description == "a")
        #expect(DeviceRule(.block, major: 8, minor: nil, access: "r").description == "b 8:* r")
    }

    @Test func workingSetNeverNegative() {
        #expect(CgroupStats.workingSet(usage: 100, inactiveFile: 30) == 70)
        #expect(CgroupStats.workingSet(usage: 10, inactiveFile: 30) == 0)
        #expect(CgroupStats.workingSet(usage: nil, inactiveFile: 30) == nil)
    }
}
