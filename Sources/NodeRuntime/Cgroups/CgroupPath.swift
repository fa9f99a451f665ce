/// Validation of the relative cgroup paths callers pass ("skiff/<pod>/<container>").
///
/// The path becomes directories under the runtime's subtree, so it must not
/// be able to climb out of it or address the subtree root itself.
enum CgroupPath {
    static func components(_ relativePath: String) throws -> [String] {
        let components = relativePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let invalid = relativePath.isEmpty
            || relativePath.hasPrefix("/")
            || components.contains { $0.isEmpty || $0 == "." || $0 == ".." || $0.utf8.contains(0) }
        if invalid {
            throw RuntimeError("cgroup path: invalid value \"\(relativePath)\" (want relative components such as skiff/<pod>/<container>, no '.', '..' or empty parts)")
        }
        return components
    }
}
