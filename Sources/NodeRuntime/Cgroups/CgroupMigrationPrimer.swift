import CShims
import Dispatch
import Glibc
import Synchronization

/// Takes the kernel's wait for a cgroup v1 move off a container's start.
///
/// Moving a process into a v1 cgroup (writing `cgroup.procs`) takes the
/// kernel's `cgroup_threadgroup_rwsem` for writing, and when no move happened
/// in about the last RCU grace period that waits for one to pass first
/// (`rcu_sync_enter`): measured here, 5-8 ms of a 0.3 ms attach, paid by the
/// container's child before it can exec, and the largest step of a lone pod's
/// start (docs/benchmarks/pod-start.md). The rwsem stays in its writer-ready
/// state for a grace period after the last move, so a move started earlier,
/// on a thread of its own, makes the child's later one fast.
///
/// The early move is a no-op one: the thread writes its own id into the
/// `tasks` file of the cgroup it already is in (by id, not "0": the kernel
/// skips the rwsem for "0"). Only v1 hierarchies need this; on cgroup v2 the
/// child is cloned straight into its cgroup (CLONE_INTO_CGROUP).
package struct CgroupMigrationPrimer: Sendable {
    /// Where this hierarchy is mounted, and its name in /proc/thread-self/cgroup.
    let mountPoint: String
    let mountRoot: String
    let controller: String

    /// A primer for this host's layout, nil where none is needed (cgroup v2).
    package static func forHost(_ layout: CgroupLayout) -> CgroupMigrationPrimer? {
        let v1: [String: CgroupMount]
        switch layout {
        case .unified: return nil
        case .hybrid(let mounts, _), .legacy(let mounts): v1 = mounts
        }
        for controller in ["pids"] + CgroupDriver.legacyControllers {
            if let mount = v1[controller] {
                return CgroupMigrationPrimer(mountPoint: mount.mountPoint, mountRoot: mount.root, controller: controller)
            }
        }
        return nil
    }

    /// When the last early move was started (any primer of this process): the
    /// kernel stays ready for a grace period after a move, so a second one
    /// within a few milliseconds (the sandbox's, then its first container's)
    /// would only take the lock that every fork waits on once more.
    private static let lastStarted = Mutex<ContinuousClock.Instant?>(nil)
    private static let spacing = Duration.milliseconds(5)

    /// Starts the early move and returns at once, unless one started less than
    /// `spacing` ago; failures are ignored (the container's own move then
    /// simply waits as it would have).
    package func prime() {
        let now = ContinuousClock.now
        let due = Self.lastStarted.withLock { last -> Bool in
            if let last, now - last < Self.spacing { return false }
            last = now
            return true
        }
        guard due else { return }
        let primer = self
        // A serial queue of its own: it runs on libdispatch's overcommit pool,
        // so this thread's wait in the kernel takes no thread from other work
        // (see Blocking).
        DispatchQueue(label: "skiff.cgroup-primer").async { primer.moveThisThread() }
    }

    /// The no-op move, on the calling thread (blocks for the kernel's wait);
    /// whether the kernel took it.
    @discardableResult
    package func moveThisThread() -> Bool {
        guard let text = try? CgroupFS.read("/proc/thread-self/cgroup"),
            let path = CgroupMembership.parse(text).legacy[controller],
            let directory = CgroupMount(mountPoint: mountPoint, root: mountRoot).directory(forCgroupPath: path)
        else { return false }
        let fd = open("\(directory)/tasks", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let id = Array(String(skiff_gettid()).utf8)
        return write(fd, id, id.count) == id.count
    }
}
