/// How a container process ended.
package enum ExitStatus: Equatable, Sendable, Codable {
    case exited(code: Int32)
    case signaled(signal: Int32)
    /// It ended while another process was its parent (e.g. before a daemon
    /// restart re-adopted it), so the kernel gave us no status.
    case unknown

    /// The conventional shell-style code: the exit code, or 128 + signal.
    package var code: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        case .unknown: 255
        }
    }
}
