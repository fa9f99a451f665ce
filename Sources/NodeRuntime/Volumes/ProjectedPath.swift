/// The relative paths a projected volume may hold, checked as the kubelet's
/// AtomicWriter checks them (with its messages): the API validates the same
/// rules, this is the node's own guard against escaping the volume.
enum ProjectedPath {
    static let maxFileNameLength = 255
    static let maxPathLength = 4096

    /// Validates `path` and returns it cleaned (`a//b/./c` → `a/b/c`).
    static func clean(_ path: String) throws -> String {
        guard !path.isEmpty else { throw VolumeError.invalidProjectedPath("invalid path: must not be empty: \"\"") }
        guard !path.hasPrefix("/") else {
            throw VolumeError.invalidProjectedPath("invalid path: must be relative path: \(path)")
        }
        guard path.utf8.count <= maxPathLength else {
            throw VolumeError.invalidProjectedPath("invalid path: must be less than or equal to \(maxPathLength) characters")
        }
        let items = path.split(separator: "/", omittingEmptySubsequences: false)
        for item in items {
            if item == ".." {
                throw VolumeError.invalidProjectedPath("invalid path: must not contain '..': \(path)")
            }
            if item.utf8.count > maxFileNameLength {
                throw VolumeError.invalidProjectedPath(
                    "invalid path: filenames must be less than or equal to \(maxFileNameLength) characters")
            }
        }
        if let first = items.first, first.hasPrefix(".."), first.count > 2 {
            throw VolumeError.invalidProjectedPath("invalid path: must not start with '..': \(path)")
        }
        let kept = items.filter { !$0.isEmpty && $0 != "." }
        // "." or "./" name the volume itself, which cannot be a file; NUL cannot be in a name.
        guard !kept.isEmpty, !path.utf8.contains(0) else {
            throw VolumeError.invalidProjectedPath("invalid path: must not be empty: \"\(path)\"")
        }
        return kept.joined(separator: "/")
    }

    /// `a/b/c` → [`a`, `a/b`]: the directories a file needs, outermost first.
    static func parents(of path: String) -> [String] {
        let components = path.split(separator: "/")
        guard components.count > 1 else { return [] }
        return (1..<components.count).map { components[0..<$0].joined(separator: "/") }
    }

    /// The top-level entry a path is published under (`a/b/c` → `a`).
    static func topLevel(of path: String) -> String {
        String(path.split(separator: "/").first ?? Substring(path))
    }
}
