import CShims
import Glibc

/// A failed system call, carrying the errno and the step that failed.
///
/// Every kernel-facing error in the runtime is one of these so that a failed
/// start reads `pivot_root: EINVAL (Invalid argument)` instead of a bare exit code.
package struct SystemError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What was being done, e.g. `mkdir /sys/fs/cgroup/pids/skiff/abc`.
    package var step: String
    /// The errno reported by the kernel (0 when the failure is not an errno).
    package var errno: Int32

    package init(_ step: String, errno: Int32) {
        self.step = step
        self.errno = errno
    }

    /// Captures the calling thread's current errno.
    package static func current(_ step: String) -> SystemError {
        SystemError(step, errno: Glibc.errno)
    }

    /// `EINVAL`, or `errno 1234` when glibc has no name for it.
    package var errnoName: String {
        if let name = skiff_errno_name(errno) { return String(cString: name) }
        return "errno \(errno)"
    }

    package var description: String {
        "\(step): \(errnoName) (\(String(cString: strerror(errno))))"
    }
}
