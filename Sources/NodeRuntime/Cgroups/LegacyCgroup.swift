import Glibc

/// A cgroup on a v1 (legacy or hybrid) host: one directory in each controller's hierarchy.
struct LegacyCgroup: Sendable, Equatable {
    /// One mounted hierarchy: the driver's base directory in it, this cgroup's
    /// directory, and the controllers it carries (co-mounted controllers such
    /// as `cpu,cpuacct` share one hierarchy).
    struct Hierarchy: Sendable, Equatable {
        var base: String
        var directory: String
        var controllers: [String]
    }

    var hierarchies: [Hierarchy]

    /// controller → this cgroup's directory.
    var directories: [String: String] {
        var result: [String: String] = [:]
        for hierarchy in hierarchies {
            for controller in hierarchy.controllers { result[controller] = hierarchy.directory }
        }
        return result
    }

    /// Groups `bases` (controller → base directory) by hierarchy and appends the path.
    init(bases: [String: String], components: [String]) {
        var byBase: [String: [String]] = [:]
        for (controller, base) in bases { byBase[base, default: []].append(controller) }
        let relative = components.joined(separator: "/")
        hierarchies = byBase.keys.sorted().map { base in
            Hierarchy(base: base, directory: CgroupMount.join(base, relative),
                      controllers: (byBase[base] ?? []).sorted())
        }
    }

    var procsFiles: [String] { hierarchies.map { $0.directory + "/cgroup.procs" } }

    /// Makes the directories (and their parents), prepares cpuset, restricts
    /// devices and applies limits; on failure removes what this call created.
    static func create(bases: [String: String], components: [String], limits: ResourceLimits,
                       devices: DevicePolicy) throws -> LegacyCgroup {
        let cgroup = LegacyCgroup(bases: bases, components: components)
        let writer = LegacyLimitWriter(directories: cgroup.directories)
        try limits.validate()
        try writer.checkControllers(for: limits)
        var created: [String] = []
        do {
            for hierarchy in cgroup.hierarchies {
                var directory = hierarchy.base
                for component in components {
                    let parent = directory
                    directory = CgroupMount.join(parent, component)
                    if try CgroupFS.makeDirectory(directory) { created.append(directory) }
                    if hierarchy.controllers.contains("cpuset") {
                        try inheritCPUSet(from: parent, into: directory)
                    }
                }
            }
            try writer.restrictDevices(devices)
            try writer.apply(limits)
        } catch {
            // Best effort: the original error matters more than a cleanup failure,
            // and nothing has joined these fresh directories yet.
            for directory in created.reversed() { _ = try? CgroupFS.removeDirectory(directory, busyRetries: 5) }
            throw error
        }
        return cgroup
    }

    /// A new v1 cpuset starts with empty `cpuset.cpus`/`cpuset.mems`, and no task
    /// can join it until both are set; copy them from the parent.
    private static func inheritCPUSet(from parent: String, into directory: String) throws {
        for file in ["cpuset.cpus", "cpuset.mems"] {
            let own = try CgroupFS.read(directory + "/" + file)
            guard CgroupFileFormat.words(own).isEmpty else { continue }
            let inherited = CgroupFileFormat.words(try CgroupFS.read(parent + "/" + file)).joined()
            try CgroupFS.write(inherited, to: directory + "/" + file)
        }
    }

    /// The handle for an existing cgroup, limited to the hierarchies where it exists.
    static func open(bases: [String: String], components: [String]) -> LegacyCgroup? {
        var cgroup = LegacyCgroup(bases: bases, components: components)
        cgroup.hierarchies.removeAll { !CgroupFS.exists($0.directory) }
        return cgroup.hierarchies.isEmpty ? nil : cgroup
    }

    func update(_ limits: ResourceLimits) throws {
        try LegacyLimitWriter(directories: directories).apply(limits)
    }

    func attach(pid: Int32) throws {
        for file in procsFiles { try CgroupFS.write("\(pid)", to: file) }
    }

    /// Union over every hierarchy, since a process may have joined only some.
    func pids() throws -> [Int32] {
        var pids: Set<Int32> = []
        for hierarchy in hierarchies {
            pids.formUnion(try CgroupTree.processIDs(under: hierarchy.directory))
        }
        return pids.sorted()
    }

    /// Freeze so nothing can fork while we collect pids, SIGKILL everything,
    /// thaw so the signals are acted on, and repeat until the cgroup is empty.
    func kill() throws {
        let freezer = directories["freezer"]
        let step = "kill cgroup \(hierarchies.first?.directory ?? "")"
        let emptied = try CgroupTree.wait(milliseconds: 5000) {
            let remaining = try pids()
            if remaining.isEmpty { return true }
            if let freezer { try freeze(freezer) }
            do {
                try CgroupTree.killAll(try pids(), step: step)
            } catch {
                if let freezer { try? CgroupFS.write("THAWED", to: freezer + "/freezer.state") }
                throw error
            }
            if let freezer { try CgroupFS.write("THAWED", to: freezer + "/freezer.state") }
            return try CgroupTree.wait(milliseconds: 500) { try pids().isEmpty }
        }
        if !emptied {
            throw SystemError("\(step): processes \(try pids()) survived SIGKILL", errno: EBUSY)
        }
    }

    /// Requests FROZEN and waits briefly for it; a task stuck in the kernel can
    /// keep the cgroup FREEZING, in which case we kill what we can anyway.
    private func freeze(_ freezer: String) throws {
        let state = freezer + "/freezer.state"
        try CgroupFS.write("FROZEN", to: state)
        _ = try CgroupTree.wait(milliseconds: 1000) {
            CgroupFileFormat.words(try CgroupFS.read(state)).first == "FROZEN"
        }
    }

    /// Tries every hierarchy even when one fails, so a single stuck directory
    /// does not leave the others behind; the first failure is reported.
    func remove() throws {
        if try !pids().isEmpty { try kill() }
        var firstError: (any Error)?
        for hierarchy in hierarchies {
            do {
                try CgroupTree.remove(hierarchy.directory)
                CgroupTree.removeEmptyParents(of: hierarchy.directory, below: hierarchy.base)
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
    }

    /// `oom_kill N` in memory.oom_control (kernel ≥ 4.13).
    func oomKillCount() throws -> Int {
        guard let memory = directories["memory"] else {
            throw RuntimeError("oomKillCount: the v1 memory controller is not mounted")
        }
        let path = memory + "/memory.oom_control"
        guard let count = CgroupFileFormat.keyed(try CgroupFS.read(path))["oom_kill"] else {
            throw RuntimeError("\(path): no oom_kill line (kernel older than 4.13?)")
        }
        return Int(count)
    }

    func stats() throws -> CgroupStats {
        var stats = CgroupStats()
        if let memory = directories["memory"] {
            let usagePath = memory + "/memory.usage_in_bytes"
            let usage = UInt64(max(try CgroupFileFormat.integer(try CgroupFS.read(usagePath), path: usagePath), 0))
            let memoryStat = CgroupFileFormat.keyed(try CgroupFS.read(memory + "/memory.stat"))
            stats.memoryUsageBytes = usage
            stats.memoryWorkingSetBytes = CgroupStats.workingSet(usage: usage, inactiveFile: memoryStat["total_inactive_file"])
        }
        if let cpuacct = directories["cpuacct"] {
            let path = cpuacct + "/cpuacct.usage"
            stats.cpuUsageNanos = UInt64(max(try CgroupFileFormat.integer(try CgroupFS.read(path), path: path), 0))
        }
        if let pids = directories["pids"] {
            let path = pids + "/pids.current"
            stats.pidsCurrent = UInt64(max(try CgroupFileFormat.integer(try CgroupFS.read(path), path: path), 0))
        }
        return stats
    }
}
