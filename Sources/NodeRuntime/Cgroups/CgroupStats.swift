/// Usage counters of one cgroup, as a node agent reports them.
///
/// A field is nil when its controller is not present for the cgroup (for
/// example no pids controller on a v1 host that does not mount it).
package struct CgroupStats: Sendable, Equatable {
    /// Total memory charged, page cache included (`memory.current` / `memory.usage_in_bytes`).
    package var memoryUsageBytes: UInt64?
    /// Usage minus inactive file cache: what kubelet compares against eviction thresholds.
    package var memoryWorkingSetBytes: UInt64?
    /// CPU time consumed by all tasks, in nanoseconds.
    package var cpuUsageNanos: UInt64?
    /// Number of tasks (threads count) in the cgroup.
    package var pidsCurrent: UInt64?

    package init(memoryUsageBytes: UInt64? = nil, memoryWorkingSetBytes: UInt64? = nil,
                 cpuUsageNanos: UInt64? = nil, pidsCurrent: UInt64? = nil) {
        self.memoryUsageBytes = memoryUsageBytes
        self.memoryWorkingSetBytes = memoryWorkingSetBytes
        self.cpuUsageNanos = cpuUsageNanos
        self.pidsCurrent = pidsCurrent
    }

    /// Working set the way cadvisor computes it; never negative.
    static func workingSet(usage: UInt64?, inactiveFile: Int64?) -> UInt64? {
        guard let usage else { return nil }
        let inactive = UInt64(max(inactiveFile ?? 0, 0))
        return usage > inactive ? usage - inactive : 0
    }
}
