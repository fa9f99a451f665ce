import CShims
import Glibc

/// A container process that failed to start, with the child-side step.
package struct SpawnError: Error, CustomStringConvertible, Equatable, Sendable {
    /// e.g. "pivot_root", "execve", "mount".
    package var step: String
    package var errno: Int32
    /// The path, name or value involved.
    package var detail: String

    init(_ error: skiff_spawn_error) {
        step = String(cString: skiff_spawn_step_name(error.step))
        errno = error.err
        detail = withUnsafeBytes(of: error.detail) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    package var description: String {
        let base = SystemError(step, errno: errno).description
        if detail.isEmpty { return base }
        switch step {
        case "execve" where errno == ENOENT:
            return "executable \"\(detail)\" not found in the container's PATH or rootfs (execve: ENOENT)"
        default:
            return "\(step) \(detail): \(SystemError("", errno: errno).errnoName) (\(String(cString: strerror(errno))))"
        }
    }
}
