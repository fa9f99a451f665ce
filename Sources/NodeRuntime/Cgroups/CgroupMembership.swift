/// The cgroups a process belongs to, from `/proc/<pid>/cgroup`.
///
/// Needed because the runtime itself may already sit in a nested cgroup (a
/// systemd unit, a container, a supervisor's sandbox) and its subtree belongs
/// below that, not at the top of the hierarchy.
package struct CgroupMembership: Sendable, Equatable {
    /// The cgroup2 path (the `0::/path` line), when the process has one.
    package var unified: String?
    /// v1 controller (or `name=…` hierarchy) → cgroup path.
    package var legacy: [String: String]

    package init(unified: String? = nil, legacy: [String: String] = [:]) {
        self.unified = unified
        self.legacy = legacy
    }

    /// Reads `/proc/self/cgroup`.
    package static func current() throws -> CgroupMembership {
        parse(try CgroupFS.read("/proc/self/cgroup"))
    }

    /// Parses lines of `hierarchy-id:controller,list:path`; malformed lines are skipped.
    package static func parse(_ text: String) -> CgroupMembership {
        var membership = CgroupMembership()
        for line in text.split(separator: "\n") {
            // The path may itself contain ':', so split at most twice.
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let path = String(fields[2])
            if fields[0] == "0" && fields[1].isEmpty {
                membership.unified = path
            } else {
                for controller in fields[1].split(separator: ",") {
                    membership.legacy[String(controller)] = path
                }
            }
        }
        return membership
    }
}
