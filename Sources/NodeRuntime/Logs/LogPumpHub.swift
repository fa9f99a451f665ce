/// Pumps every container's stdout and stderr into CRI log files from one
/// dedicated thread for the whole node.
///
/// Lifecycle of one container's logs:
/// 1. The runtime creates the FIFOs (`ContainerLogFIFO.create`), `register`s
///    them, and opens the container's ends (`openContainerEnd`) for the child's
///    fd 1 and 2 — registering before or after opening both work.
/// 2. When the container and everything it forked have exited, the pipes hit
///    end of file, the rest is written, and `onFinished` reports `.endOfStream`:
///    the log is complete.
/// 3. `stop` (or daemon shutdown) instead leaves the pipes to the container: a
///    restarted daemon registers the same FIFOs and loses nothing, because the
///    container's read-write end keeps the pipe and its buffered bytes alive.
///
/// The kernel reports a FIFO's hang-up only to readers that have seen a writer
/// come and go. A FIFO registered after its container already died (it exited
/// while the daemon was down) therefore never signals end of file; the runtime,
/// which knows the container is gone, calls `stop` for it. Nothing is lost that
/// way: a pipe nobody holds open has no buffered bytes left.
///
/// All methods are safe from any thread or task; they only post to the hub
/// thread and await its answer, so no blocking syscall runs on the caller.
package final class LogPumpHub: Sendable {
    private let mailbox: LogPumpMailbox

    /// Starts the hub thread.
    package init() throws {
        let mailbox = try LogPumpMailbox()
        do {
            try LogThread.detach("log pump hub") { LogPumpLoop(mailbox: mailbox).run() }
        } catch {
            mailbox.wake.close()
            throw error
        }
        self.mailbox = mailbox
    }

    /// Without an explicit `shutdown`, the thread still winds down (stopping every
    /// pump) once the last reference to the hub is gone.
    deinit {
        _ = mailbox.post(.shutdown(nil))
    }

    /// Starts pumping a container's sources into its log file. Returns once the
    /// pipes and the log file are open; throws `SystemError` if one cannot be
    /// opened and `RuntimeError` if the container is already registered.
    /// Descriptor sources belong to the hub from this call on, even when it throws.
    package func register(_ registration: LogPumpRegistration) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            guard mailbox.post(.register(registration, continuation)) else {
                for source in registration.sources {
                    if case .descriptor(let fd) = source.endpoint { LogIO.close(fd) }
                }
                continuation.resume(throwing: RuntimeError("log pump hub has shut down"))
                return
            }
        }
    }

    /// Convenience for `register(LogPumpRegistration(...))`.
    package func register(
        containerID: String, logPath: String, policy: LogRotationPolicy = .kubeletDefault,
        sources: [LogSource], onFinished: @escaping @Sendable (LogPumpOutcome) -> Void = { _ in }
    ) async throws {
        try await register(
            LogPumpRegistration(
                containerID: containerID, logPath: logPath, policy: policy, sources: sources,
                onFinished: onFinished))
    }

    /// Stops pumping a container without waiting for its pipes to close: drains
    /// what is readable now, writes a held-back partial line as `P`, closes the
    /// pipes and the log file. Returns nil if it was not registered (never was,
    /// or already finished at end of stream).
    @discardableResult
    package func stop(containerID: String) async -> LogPumpOutcome? {
        await withCheckedContinuation { (continuation: CheckedContinuation<LogPumpOutcome?, Never>) in
            if !mailbox.post(.stop(containerID: containerID, continuation)) {
                continuation.resume(returning: nil)
            }
        }
    }

    /// CRI `ReopenContainerLog`: after something outside the runtime renamed the
    /// container's live log file, continue writing in a new file at its path.
    /// Throws `RuntimeError` if the container is not being pumped.
    package func reopenLog(containerID: String) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            if !mailbox.post(.reopen(containerID: containerID, continuation)) {
                continuation.resume(throwing: RuntimeError("log pump hub has shut down"))
            }
        }
    }

    /// Stops every pump (as `stop` does, each reporting `.stopped`) and ends the
    /// hub thread. Later calls to `register` throw.
    package func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if !mailbox.post(.shutdown(continuation)) { continuation.resume() }
        }
    }
}
