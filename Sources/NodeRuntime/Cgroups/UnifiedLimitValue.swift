/// One value to write into one cgroup v2 interface file.
///
/// Computed separately from writing so that the exact strings (`cpu.max`
/// "50000 100000", `cpu.weight` from shares, `memory.swap.max` as the swap
/// part only) are testable without a kernel.
package struct UnifiedLimitValue: Sendable, Equatable {
    /// The controller that must be enabled for the file to exist.
    package var controller: String
    package var file: String
    package var value: String
    /// The ResourceLimits field this came from, for errors.
    package var field: String
    /// False when the value only restores the default (the field was nil), so
    /// a missing controller is not an error.
    package var isLimit: Bool

    package init(controller: String, file: String, value: String, field: String, isLimit: Bool) {
        self.controller = controller
        self.file = file
        self.value = value
        self.field = field
        self.isLimit = isLimit
    }
}

extension ResourceLimits {
    /// The v2 files and values for these limits, in write order.
    package var unifiedValues: [UnifiedLimitValue] {
        let quota = cpuQuotaMicros.map { "\($0)" } ?? "max"
        let weight = cpuShares.map { Self.cpuWeight(forShares: $0) } ?? 100
        // OCI's swap limit counts memory too; v2's memory.swap.max is swap alone.
        let swap: String = {
            guard let memorySwapLimitBytes, let memoryLimitBytes else { return "max" }
            return "\(memorySwapLimitBytes - memoryLimitBytes)"
        }()
        return [
            UnifiedLimitValue(controller: "cpu", file: "cpu.max", value: "\(quota) \(cpuPeriodMicros)",
                              field: "cpuQuotaMicros", isLimit: cpuQuotaMicros != nil),
            UnifiedLimitValue(controller: "cpu", file: "cpu.weight", value: "\(weight)",
                              field: "cpuShares", isLimit: cpuShares != nil),
            UnifiedLimitValue(controller: "memory", file: "memory.max", value: memoryLimitBytes.map { "\($0)" } ?? "max",
                              field: "memoryLimitBytes", isLimit: memoryLimitBytes != nil),
            UnifiedLimitValue(controller: "memory", file: "memory.swap.max", value: swap,
                              field: "memorySwapLimitBytes", isLimit: memorySwapLimitBytes != nil),
            UnifiedLimitValue(controller: "pids", file: "pids.max", value: pidsLimit.map { "\($0)" } ?? "max",
                              field: "pidsLimit", isLimit: pidsLimit != nil),
        ]
    }
}
