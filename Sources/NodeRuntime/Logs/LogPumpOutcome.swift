/// How pumping one container's output ended, delivered once per registration.
package struct LogPumpOutcome: Equatable, Sendable {
    package enum Reason: Equatable, Sendable {
        /// Every source reached end of file: all writers (the container and anything
        /// it forked) closed the pipes, and everything they wrote is in the log.
        case endOfStream
        /// `stop` or hub shutdown: what was readable was drained and a held-back
        /// partial line written as `P`; the pipes may still have writers, and a
        /// later pump on the same FIFOs continues where this one stopped.
        case stopped
    }

    package var reason: Reason
    /// Bytes appended to log files (records, not raw container output).
    package var bytesWritten: Int
    /// Record bytes lost to write failures.
    package var droppedBytes: Int
    /// The last read, write, rotation or close failure, if any.
    package var lastError: SystemError?

    package init(reason: Reason, bytesWritten: Int, droppedBytes: Int, lastError: SystemError?) {
        self.reason = reason
        self.bytesWritten = bytesWritten
        self.droppedBytes = droppedBytes
        self.lastError = lastError
    }
}
