/// How large a container log may grow and how many files of it are kept.
///
/// Defaults match kubelet's `containerLogMaxSize: 10Mi` and
/// `containerLogMaxFiles: 5`; like kubelet, `maxFiles` counts the live file too.
package struct LogRotationPolicy: Equatable, Sendable {
    package static let defaultMaxSize = 10 * 1024 * 1024
    package static let defaultMaxFiles = 5

    /// Bytes after which the live file is rotated. A file only exceeds this when a
    /// single record is larger, because records are never split across files.
    package let maxSize: Int
    /// Live file plus rotated files; the oldest rotated file is deleted beyond this.
    package let maxFiles: Int

    package init(maxSize: Int = defaultMaxSize, maxFiles: Int = defaultMaxFiles) throws {
        guard maxSize > 0 else {
            throw RuntimeError("log rotation maxSize must be positive, got \(maxSize)")
        }
        // kubelet rejects fewer than 2: with 1, rotation would just delete the log.
        guard maxFiles >= 2 else {
            throw RuntimeError("log rotation maxFiles must be at least 2, got \(maxFiles)")
        }
        self.maxSize = maxSize
        self.maxFiles = maxFiles
    }

    /// kubelet's defaults, without the `throws` of the validating initializer.
    package static let kubeletDefault = LogRotationPolicy(unchecked: defaultMaxSize, defaultMaxFiles)

    private init(unchecked maxSize: Int, _ maxFiles: Int) {
        self.maxSize = maxSize
        self.maxFiles = maxFiles
    }
}
