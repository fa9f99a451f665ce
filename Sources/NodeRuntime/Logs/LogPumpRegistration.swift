/// Everything the hub thread needs to start pumping one container.
package struct LogPumpRegistration: Sendable {
    /// Key for `stop`; one registration per container at a time.
    package var containerID: String
    /// The live CRI log file, e.g. `/var/log/pods/<pod>/<container>/0.log`.
    package var logPath: String
    package var policy: LogRotationPolicy
    package var sources: [LogSource]
    /// Called exactly once, on the hub thread, when pumping ends for any reason.
    /// Keep it short: every container's logs wait while it runs.
    package var onFinished: @Sendable (LogPumpOutcome) -> Void

    package init(
        containerID: String, logPath: String, policy: LogRotationPolicy = .kubeletDefault,
        sources: [LogSource], onFinished: @escaping @Sendable (LogPumpOutcome) -> Void = { _ in }
    ) {
        self.containerID = containerID
        self.logPath = logPath
        self.policy = policy
        self.sources = sources
        self.onFinished = onFinished
    }
}
