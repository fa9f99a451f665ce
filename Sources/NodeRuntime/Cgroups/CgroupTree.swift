import Glibc

/// Operations on a cgroup directory together with the cgroups below it.
///
/// A container may create child cgroups of its own (systemd in a container,
/// nested runtimes), so listing, killing and removing must cover the subtree,
/// not just the leaf the runtime created.
enum CgroupTree {
    /// Every process in `directory` and its descendants; empty when it does not exist.
    static func processIDs(under directory: String) throws -> [Int32] {
        guard CgroupFS.exists(directory) else { return [] }
        var pids: Set<Int32> = []
        for cgroup in try CgroupFS.descendantsDeepestFirst(of: directory) {
            // A child cgroup can disappear while we walk; that is not an error.
            if let text = try CgroupFS.readIfPresent(cgroup + "/cgroup.procs") {
                pids.formUnion(CgroupFileFormat.processIDs(text))
            }
        }
        return pids.sorted()
    }

    /// Sends SIGKILL to each pid; one that already exited (ESRCH) is fine.
    static func killAll(_ pids: [Int32], step: String) throws {
        for pid in pids where pid > 0 {
            if Glibc.kill(pid, SIGKILL) != 0 && Glibc.errno != ESRCH {
                throw SystemError.current("\(step): kill \(pid)")
            }
        }
    }

    /// rmdir `directory` and everything below it, deepest first.
    static func remove(_ directory: String) throws {
        guard CgroupFS.exists(directory) else { return }
        for cgroup in try CgroupFS.descendantsDeepestFirst(of: directory) {
            try CgroupFS.removeDirectory(cgroup)
        }
    }

    /// Removes the now-empty directories between `leaf` and `base` (both
    /// excluded), innermost first, stopping at the first one still in use:
    /// `skiff/<pod>` goes with its last container, the base never does.
    static func removeEmptyParents(of leaf: String, below base: String) {
        var directory = parent(of: leaf)
        while directory.count > base.count, directory.hasPrefix(base + "/") {
            if Glibc.rmdir(directory) != 0 && Glibc.errno != ENOENT { return }
            directory = parent(of: directory)
        }
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// Polls `isDone` until it is true or `milliseconds` pass, first after
    /// 1 ms (a SIGKILLed task is usually gone by then), backing off to 10 ms.
    static func wait(milliseconds: Int, until isDone: () throws -> Bool) rethrows -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(milliseconds))
        var delay = 1
        while true {
            if try isDone() { return true }
            if ContinuousClock.now >= deadline { return false }
            CgroupFS.pause(milliseconds: delay)
            delay = min(delay * 2, 10)
        }
    }
}
