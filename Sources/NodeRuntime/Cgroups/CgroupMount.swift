/// Where one cgroup hierarchy is visible in this mount namespace.
///
/// The mount may show only part of the hierarchy (a container given a bind
/// mount of its own subtree, or a cgroup namespace), so both the mount point
/// and the hierarchy path it shows (`root`) are kept; together they turn a path
/// from `/proc/self/cgroup` into a directory.
package struct CgroupMount: Sendable, Equatable {
    package var mountPoint: String
    /// The cgroup path (within the hierarchy, as seen from our cgroup namespace)
    /// that appears at `mountPoint`; "/" for a mount of the whole hierarchy.
    package var root: String

    package init(mountPoint: String, root: String = "/") {
        self.mountPoint = mountPoint
        self.root = root
    }

    /// The directory for `cgroupPath` (as written in `/proc/self/cgroup`), or nil
    /// when that cgroup is outside the part of the hierarchy this mount shows.
    package func directory(forCgroupPath cgroupPath: String) -> String? {
        let path = Self.normalized(cgroupPath)
        let base = Self.normalized(root)
        let suffix: Substring
        if base == "/" {
            suffix = path.dropFirst()
        } else if path == base {
            suffix = ""
        } else if path.hasPrefix(base + "/") {
            suffix = path.dropFirst(base.count + 1)
        } else {
            return nil
        }
        // A cgroup outside our namespace shows up as "/../x"; it has no directory here.
        if suffix.split(separator: "/").contains("..") { return nil }
        return suffix.isEmpty ? mountPoint : Self.join(mountPoint, String(suffix))
    }

    static func normalized(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return "/" + parts.joined(separator: "/")
    }

    static func join(_ directory: String, _ relative: String) -> String {
        directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }
}
