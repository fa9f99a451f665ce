import Glibc

/// Writes `ResourceLimits` into one cgroup's v1 controller directories.
///
/// v1 has ordering rules the kernel enforces on every write (memory+swap must
/// stay ≥ memory, a period change is checked against the current quota), so
/// the order depends on the values already in place.
struct LegacyLimitWriter {
    /// controller → this cgroup's directory in that controller's hierarchy.
    var directories: [String: String]

    /// Fails before anything is written when a requested limit has no controller.
    func checkControllers(for limits: ResourceLimits) throws {
        func require(_ controller: String, _ field: String, _ value: String?) throws {
            guard let value, directories[controller] == nil else { return }
            throw RuntimeError("\(field): \(value) needs the v1 \(controller) controller, which is not mounted or has no directory for this cgroup")
        }
        try require("cpu", "cpuQuotaMicros", limits.cpuQuotaMicros.map { "\($0)" })
        try require("cpu", "cpuShares", limits.cpuShares.map { "\($0)" })
        try require("memory", "memoryLimitBytes", limits.memoryLimitBytes.map { "\($0)" })
        try require("pids", "pidsLimit", limits.pidsLimit.map { "\($0)" })
    }

    func apply(_ limits: ResourceLimits) throws {
        try limits.validate()
        try checkControllers(for: limits)
        if let cpu = directories["cpu"] { try writeCPU(limits, in: cpu) }
        if let memory = directories["memory"] { try writeMemory(limits, in: memory) }
        if let pids = directories["pids"] {
            try CgroupFS.write(limits.pidsLimit.map { "\($0)" } ?? "max", to: pids + "/pids.max")
        }
    }

    private func writeCPU(_ limits: ResourceLimits, in directory: String) throws {
        let period = directory + "/cpu.cfs_period_us"
        let quota = directory + "/cpu.cfs_quota_us"
        let periodValue = "\(limits.cpuPeriodMicros)"
        let quotaValue = limits.cpuQuotaMicros.map { "\($0)" } ?? "-1"
        // The kernel checks the new period against the current quota; if that
        // pairing is refused, set the quota first and retry (runc does the same).
        do {
            try CgroupFS.write(periodValue, to: period)
            try CgroupFS.write(quotaValue, to: quota)
        } catch let error as SystemError where error.errno == EINVAL && error.step.hasSuffix(period) {
            try CgroupFS.write(quotaValue, to: quota)
            try CgroupFS.write(periodValue, to: period)
        }
        try CgroupFS.write("\(limits.cpuShares ?? 1024)", to: directory + "/cpu.shares")
    }

    private func writeMemory(_ limits: ResourceLimits, in directory: String) throws {
        let limitFile = directory + "/memory.limit_in_bytes"
        let swapFile = directory + "/memory.memsw.limit_in_bytes"
        let limit = limits.memoryLimitBytes ?? -1
        let swap = limits.memorySwapLimitBytes ?? -1
        guard CgroupFS.exists(swapFile) else {
            // No swap accounting: only "no swap limit" and "no swap beyond memory"
            // can be honoured; a real swap budget cannot be enforced.
            if swap != -1 && swap != limit {
                throw RuntimeError("memorySwapLimitBytes: \(swap) cannot be enforced: \(swapFile) does not exist (swap accounting is off)")
            }
            try CgroupFS.write("\(limit)", to: limitFile)
            return
        }
        // memsw ≥ limit must hold after every single write. Raising: memsw first;
        // lowering: limit first. (validate() guarantees swap ≥ limit and that an
        // unlimited memory has unlimited swap.)
        let current = try CgroupFileFormat.integer(try CgroupFS.read(limitFile), path: limitFile)
        if swap == -1 || limit == -1 || limit > current {
            try CgroupFS.write("\(swap)", to: swapFile)
            try CgroupFS.write("\(limit)", to: limitFile)
        } else {
            try CgroupFS.write("\(limit)", to: limitFile)
            try CgroupFS.write("\(swap)", to: swapFile)
        }
    }

    /// Denies all devices, then allows `rules`. Only done at creation, on the leaf.
    func restrictDevices(_ policy: DevicePolicy) throws {
        guard case .allowList(let rules) = policy, let directory = directories["devices"] else { return }
        try CgroupFS.write("a", to: directory + "/devices.deny")
        for rule in rules {
            try CgroupFS.write(rule.description, to: directory + "/devices.allow")
        }
    }
}
