import Glibc

/// A cgroup in a cgroup2 hierarchy: a single directory.
struct UnifiedCgroup: Sendable, Equatable {
    /// The controllers limits are written through; each level we create gets
    /// them enabled in its parent's `cgroup.subtree_control`.
    static let controllers = ["cpu", "memory", "pids"]

    var base: String
    var directory: String

    init(base: String, components: [String]) {
        self.base = base
        directory = CgroupMount.join(base, components.joined(separator: "/"))
    }

    /// Enables controllers and makes each level, then applies limits; on
    /// failure removes the directories this call created.
    static func create(base: String, components: [String], limits: ResourceLimits) throws -> UnifiedCgroup {
        try limits.validate()
        let cgroup = UnifiedCgroup(base: base, components: components)
        var created: [String] = []
        do {
            var directory = base
            for component in components {
                try enableControllers(in: directory)
                directory = CgroupMount.join(directory, component)
                if try CgroupFS.makeDirectory(directory) { created.append(directory) }
            }
            try cgroup.update(limits)
        } catch {
            for directory in created.reversed() { _ = try? CgroupFS.removeDirectory(directory, busyRetries: 5) }
            throw error
        }
        return cgroup
    }

    /// Enables in `directory`'s children those of our controllers that it has
    /// and has not enabled yet. On a hybrid host's cgroup2 none are available,
    /// and nothing is written.
    ///
    /// A non-root cgroup with processes in it refuses this (EBUSY, the "no
    /// internal processes" rule): the runtime's own cgroup must then be a
    /// delegated one whose processes live in a leaf.
    private static func enableControllers(in directory: String) throws {
        let available = Set(CgroupFileFormat.words(try CgroupFS.read(directory + "/cgroup.controllers")))
        let subtreeControl = directory + "/cgroup.subtree_control"
        let enabled = Set(CgroupFileFormat.words(try CgroupFS.read(subtreeControl)))
        let missing = controllers.filter { available.contains($0) && !enabled.contains($0) }
        guard !missing.isEmpty else { return }
        try CgroupFS.write(missing.map { "+" + $0 }.joined(separator: " "), to: subtreeControl)
    }

    static func open(base: String, components: [String]) -> UnifiedCgroup? {
        let cgroup = UnifiedCgroup(base: base, components: components)
        return CgroupFS.exists(cgroup.directory) ? cgroup : nil
    }

    /// Writes the files of the enabled controllers. A requested limit whose
    /// controller is not enabled here is an error; a default is just skipped.
    func update(_ limits: ResourceLimits) throws {
        try limits.validate()
        let available = Set(CgroupFileFormat.words(try CgroupFS.read(directory + "/cgroup.controllers")))
        for item in limits.unifiedValues {
            let path = directory + "/" + item.file
            guard available.contains(item.controller) else {
                if item.isLimit {
                    throw RuntimeError("\(item.field): \(item.value) needs the \(item.controller) controller, which is not available in \(directory)")
                }
                continue
            }
            // memory.swap.max is absent without swap accounting; "max" and "0"
            // (no swap) are then what the host does anyway, anything else is not.
            if item.file == "memory.swap.max", !CgroupFS.exists(path) {
                if item.value == "max" || item.value == "0" { continue }
                throw RuntimeError("\(item.field): swap limit \(item.value) cannot be enforced: \(path) does not exist (swap accounting is off)")
            }
            try CgroupFS.write(item.value, to: path)
        }
    }

    func attach(pid: Int32) throws {
        try CgroupFS.write("\(pid)", to: directory + "/cgroup.procs")
    }

    func pids() throws -> [Int32] {
        try CgroupTree.processIDs(under: directory)
    }

    /// Whether any process is left in the subtree (`populated` in cgroup.events).
    func isPopulated() throws -> Bool {
        let path = directory + "/cgroup.events"
        guard let text = try CgroupFS.readIfPresent(path) else { return false }
        return CgroupFileFormat.keyed(text)["populated"] != 0
    }

    /// `cgroup.kill` (Linux 5.14+) kills the whole subtree atomically, forks included.
    func kill() throws {
        let killFile = directory + "/cgroup.kill"
        guard CgroupFS.exists(killFile) else { return try killByFreezing() }
        let emptied = try CgroupTree.wait(milliseconds: 5000) {
            if try !isPopulated() { return true }
            try CgroupFS.write("1", to: killFile)
            return try CgroupTree.wait(milliseconds: 500) { try !isPopulated() }
        }
        if !emptied {
            throw SystemError("kill cgroup \(directory): processes \(try pids()) survived cgroup.kill", errno: EBUSY)
        }
    }

    /// For kernels without cgroup.kill: freeze (so nothing forks), SIGKILL
    /// every process, thaw, repeat until empty.
    func killByFreezing() throws {
        let freezeFile = directory + "/cgroup.freeze"
        let step = "kill cgroup \(directory)"
        let emptied = try CgroupTree.wait(milliseconds: 5000) {
            if try !isPopulated() { return true }
            try CgroupFS.write("1", to: freezeFile)
            _ = try CgroupTree.wait(milliseconds: 1000) {
                CgroupFileFormat.keyed(try CgroupFS.read(directory + "/cgroup.events"))["frozen"] == 1
            }
            do {
                try CgroupTree.killAll(try pids(), step: step)
            } catch {
                try? CgroupFS.write("0", to: freezeFile)
                throw error
            }
            try CgroupFS.write("0", to: freezeFile)
            return try CgroupTree.wait(milliseconds: 500) { try !isPopulated() }
        }
        if !emptied {
            throw SystemError("\(step): processes \(try pids()) survived SIGKILL", errno: EBUSY)
        }
    }

    func remove() throws {
        if try isPopulated() { try kill() }
        try CgroupTree.remove(directory)
        CgroupTree.removeEmptyParents(of: directory, below: base)
    }

    /// `oom_kill` in memory.events (counts the whole subtree).
    func oomKillCount() throws -> Int {
        let path = directory + "/memory.events"
        guard let text = try CgroupFS.readIfPresent(path) else {
            throw RuntimeError("oomKillCount: \(path) does not exist (memory controller not enabled)")
        }
        return Int(CgroupFileFormat.keyed(text)["oom_kill"] ?? 0)
    }

    func stats() throws -> CgroupStats {
        var stats = CgroupStats()
        let currentPath = directory + "/memory.current"
        if let current = try CgroupFS.readIfPresent(currentPath) {
            let usage = UInt64(max(try CgroupFileFormat.integer(current, path: currentPath), 0))
            let memoryStat = CgroupFileFormat.keyed(try CgroupFS.readIfPresent(directory + "/memory.stat") ?? "")
            stats.memoryUsageBytes = usage
            stats.memoryWorkingSetBytes = CgroupStats.workingSet(usage: usage, inactiveFile: memoryStat["inactive_file"])
        }
        if let cpuStat = try CgroupFS.readIfPresent(directory + "/cpu.stat"),
           let usage = CgroupFileFormat.keyed(cpuStat)["usage_usec"] {
            stats.cpuUsageNanos = UInt64(max(usage, 0)) * 1000
        }
        let pidsPath = directory + "/pids.current"
        if let current = try CgroupFS.readIfPresent(pidsPath) {
            stats.pidsCurrent = UInt64(max(try CgroupFileFormat.integer(current, path: pidsPath), 0))
        }
        return stats
    }
}
