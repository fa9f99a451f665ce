/// A handle on one container's (or pod's) cgroup, whichever cgroup version holds it.
///
/// It is a plain value: it can be rebuilt after a runtime restart with
/// `CgroupDriver.open`, and every method reads the kernel's current state
/// rather than anything cached.
package struct Cgroup: Sendable, Equatable {
    enum Backend: Sendable, Equatable {
        case legacy(LegacyCgroup)
        case unified(UnifiedCgroup)
    }

    /// The path it was created or opened with, e.g. "skiff/<pod>/<container>".
    package let relativePath: String
    let backend: Backend

    init(relativePath: String, backend: Backend) {
        self.relativePath = relativePath
        self.backend = backend
    }

    /// v2 only: the cgroup directory, so the launcher can open it `O_DIRECTORY`
    /// and start the child in it with clone3's `CLONE_INTO_CGROUP` (no window
    /// in which the child runs outside its limits). nil on v1/hybrid hosts.
    package var unifiedPath: String? {
        guard case .unified(let cgroup) = backend else { return nil }
        return cgroup.directory
    }

    /// Files the launcher's child writes "0" into (opened by the parent
    /// `O_WRONLY|O_CLOEXEC`) to join the cgroup before exec: each v1
    /// hierarchy's `cgroup.procs`. Empty on v2, where `CLONE_INTO_CGROUP` is used.
    package var procsFiles: [String] {
        guard case .legacy(let cgroup) = backend else { return [] }
        return cgroup.procsFiles
    }

    /// Every directory of this cgroup (one per v1 hierarchy, or the v2 one), for diagnostics.
    package var directories: [String] {
        switch backend {
        case .legacy(let cgroup): cgroup.hierarchies.map(\.directory)
        case .unified(let cgroup): [cgroup.directory]
        }
    }

    /// Replaces all limits with `limits` (nil fields lift a limit).
    package func update(_ limits: ResourceLimits) throws {
        switch backend {
        case .legacy(let cgroup): try cgroup.update(limits)
        case .unified(let cgroup): try cgroup.update(limits)
        }
    }

    /// Moves an existing process in from outside (the parent side of joining;
    /// also what a launcher without clone3 would use on v2).
    package func attach(pid: Int32) throws {
        switch backend {
        case .legacy(let cgroup): try cgroup.attach(pid: pid)
        case .unified(let cgroup): try cgroup.attach(pid: pid)
        }
    }

    /// Processes in this cgroup and any cgroups the container made below it, sorted.
    package func pids() throws -> [Int32] {
        switch backend {
        case .legacy(let cgroup): try cgroup.pids()
        case .unified(let cgroup): try cgroup.pids()
        }
    }

    /// SIGKILLs every process, including ones forked while killing, and
    /// returns once the cgroup is empty (error if it is not within ~5 s).
    package func kill() throws {
        switch backend {
        case .legacy(let cgroup): try cgroup.kill()
        case .unified(let cgroup): try cgroup.kill()
        }
    }

    /// Kills leftovers, removes the cgroup (and cgroups below it) in every
    /// hierarchy, then the parents within the relative path that became empty.
    /// Removing a cgroup that is already gone succeeds.
    package func remove() throws {
        switch backend {
        case .legacy(let cgroup): try cgroup.remove()
        case .unified(let cgroup): try cgroup.remove()
        }
    }

    /// How many processes the kernel OOM killer has killed in this cgroup.
    package func oomKillCount() throws -> Int {
        switch backend {
        case .legacy(let cgroup): try cgroup.oomKillCount()
        case .unified(let cgroup): try cgroup.oomKillCount()
        }
    }

    package func stats() throws -> CgroupStats {
        switch backend {
        case .legacy(let cgroup): try cgroup.stats()
        case .unified(let cgroup): try cgroup.stats()
        }
    }
}
