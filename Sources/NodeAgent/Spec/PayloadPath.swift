/// The checks the kubelet's AtomicWriter makes on a volume payload's relative paths before
/// writing anything, with its messages, and the `filepath.Clean` it applies to keys.
///
/// The API server already refuses most bad paths; the node checks again because a volume
/// writer must never be led outside its directory, whatever reached the store.
enum PayloadPath {
    static let maxPathLength = 4096
    static let maxFileNameLength = 255

    static func validate(_ path: String) throws(PodConfigError) {
        guard !path.isEmpty else { throw failure("invalid path: must not be empty: \"\"") }
        guard !path.hasPrefix("/") else { throw failure("invalid path: must be relative path: \(path)") }
        guard path.utf8.count <= maxPathLength else {
            throw failure("invalid path: must be less than or equal to \(maxPathLength) characters")
        }
        let items = path.split(separator: "/", omittingEmptySubsequences: false)
        for item in items {
            if item == ".." { throw failure("invalid path: must not contain '..': \(path)") }
            if item.utf8.count > maxFileNameLength {
                throw failure("invalid path: filenames must be less than or equal to \(maxFileNameLength) characters")
            }
        }
        if let first = items.first, first.hasPrefix(".."), first.utf8.count > 2 {
            throw failure("invalid path: must not start with '..': \(path)")
        }
    }

    /// `filepath.Clean` for the paths `validate` accepts (relative, no `..`): empty and `.`
    /// segments dropped, `.` when nothing is left.
    static func clean(_ path: String) -> String {
        let kept = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        return kept.isEmpty ? "." : kept.joined(separator: "/")
    }

    /// Validates every key and returns the payload keyed by cleaned paths.
    static func validated(_ payload: [String: FileContent]) throws(PodConfigError) -> [String: FileContent] {
        var cleaned: [String: FileContent] = [:]
        for path in payload.keys.sorted() {
            try validate(path)
            cleaned[clean(path)] = payload[path]
        }
        return cleaned
    }

    private static func failure(_ message: String) -> PodConfigError {
        PodConfigError(message, stage: .volumeSetUp)
    }
}
