/// The resource limits of one cgroup, in OCI/Kubernetes terms.
///
/// The value is the complete desired state: a nil field means "no limit" (or
/// the kernel default for `cpuShares`), so `Cgroup.update` with a value that
/// leaves a field nil lifts that limit rather than keeping the old one. That
/// keeps create and update the same operation.
package struct ResourceLimits: Sendable, Equatable {
    /// CFS quota per period; nil = unlimited.
    package var cpuQuotaMicros: Int64?
    /// CFS period; the kernel accepts 1000…1000000.
    package var cpuPeriodMicros: UInt64
    /// Relative CPU weight in cgroup v1 units (Kubernetes uses 2…262144);
    /// nil = the kernel default (1024 on v1, weight 100 on v2).
    package var cpuShares: UInt64?
    /// Memory limit; nil = unlimited.
    package var memoryLimitBytes: Int64?
    /// Memory plus swap, as in OCI (`memory.memsw.limit_in_bytes` on v1;
    /// v2's `memory.swap.max` gets the difference). nil = swap unlimited.
    /// Equal to `memoryLimitBytes` means "no swap".
    package var memorySwapLimitBytes: Int64?
    /// Maximum number of tasks; nil = unlimited.
    package var pidsLimit: Int64?

    package static let defaultCPUPeriodMicros: UInt64 = 100_000
    package static let minimumCPUShares: UInt64 = 2
    package static let maximumCPUShares: UInt64 = 262_144

    package init(
        cpuQuotaMicros: Int64? = nil,
        cpuPeriodMicros: UInt64 = ResourceLimits.defaultCPUPeriodMicros,
        cpuShares: UInt64? = nil,
        memoryLimitBytes: Int64? = nil,
        memorySwapLimitBytes: Int64? = nil,
        pidsLimit: Int64? = nil
    ) {
        self.cpuQuotaMicros = cpuQuotaMicros
        self.cpuPeriodMicros = cpuPeriodMicros
        self.cpuShares = cpuShares
        self.memoryLimitBytes = memoryLimitBytes
        self.memorySwapLimitBytes = memorySwapLimitBytes
        self.pidsLimit = pidsLimit
    }

    /// No limits at all.
    package static let unlimited = ResourceLimits()

    /// Limits the way the kubelet derives them from a container spec: the CPU
    /// request becomes shares (`millis * 1024 / 1000`, at least 2), the CPU
    /// limit becomes a quota over a 100 ms period (at least 1 ms), and the
    /// memory limit forbids swap (memory+swap = memory), as kubelet's NoSwap does.
    package static func fromKubernetes(
        cpuRequestMillis: Int64? = nil,
        cpuLimitMillis: Int64? = nil,
        memoryLimitBytes: Int64? = nil,
        pidsLimit: Int64? = nil
    ) -> ResourceLimits {
        var limits = ResourceLimits(memoryLimitBytes: memoryLimitBytes, pidsLimit: pidsLimit)
        limits.memorySwapLimitBytes = memoryLimitBytes
        let request = cpuRequestMillis ?? cpuLimitMillis ?? 0
        let shares = request <= 0 ? minimumCPUShares : UInt64(request) * 1024 / 1000
        limits.cpuShares = min(max(shares, minimumCPUShares), maximumCPUShares)
        if let cpuLimitMillis, cpuLimitMillis > 0 {
            let quota = cpuLimitMillis * Int64(defaultCPUPeriodMicros) / 1000
            limits.cpuQuotaMicros = max(quota, 1000)
        }
        return limits
    }

    /// Rejects values no kernel would accept, naming the field and value.
    /// Range checks the kernel itself makes (period bounds, minimum quota) are
    /// left to the kernel so its verdict reaches the caller unchanged.
    package func validate() throws {
        if let cpuQuotaMicros, cpuQuotaMicros <= 0 {
            throw RuntimeError("cpuQuotaMicros: invalid value \(cpuQuotaMicros) (must be positive; nil means unlimited)")
        }
        if cpuPeriodMicros == 0 {
            throw RuntimeError("cpuPeriodMicros: invalid value 0 (must be positive)")
        }
        if let cpuShares, !(Self.minimumCPUShares...Self.maximumCPUShares).contains(cpuShares) {
            throw RuntimeError("cpuShares: invalid value \(cpuShares) (must be \(Self.minimumCPUShares)...\(Self.maximumCPUShares))")
        }
        if let memoryLimitBytes, memoryLimitBytes <= 0 {
            throw RuntimeError("memoryLimitBytes: invalid value \(memoryLimitBytes) (must be positive; nil means unlimited)")
        }
        if let memorySwapLimitBytes {
            guard let memoryLimitBytes else {
                throw RuntimeError("memorySwapLimitBytes: invalid value \(memorySwapLimitBytes) (needs memoryLimitBytes)")
            }
            if memorySwapLimitBytes < memoryLimitBytes {
                throw RuntimeError("memorySwapLimitBytes: invalid value \(memorySwapLimitBytes) (must be at least memoryLimitBytes \(memoryLimitBytes))")
            }
        }
        if let pidsLimit, pidsLimit <= 0 {
            throw RuntimeError("pidsLimit: invalid value \(pidsLimit) (must be positive; nil means unlimited)")
        }
    }

    /// v2 `cpu.weight` for v1 shares, with the mapping runc and crun use so
    /// that a pod gets the same weight whichever runtime created it.
    package static func cpuWeight(forShares shares: UInt64) -> UInt64 {
        let clamped = min(max(shares, minimumCPUShares), maximumCPUShares)
        return 1 + ((clamped - 2) * 9999) / 262_142
    }
}
