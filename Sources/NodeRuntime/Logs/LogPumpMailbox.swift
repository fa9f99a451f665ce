import Synchronization

/// Requests from any thread to the pump hub's thread, plus the pipe that wakes it.
///
/// All pump state lives on the hub thread; other threads only ever append here.
/// Once the hub has shut down, `post` refuses so callers can fail fast instead of
/// waiting on a thread that is gone.
package final class LogPumpMailbox: Sendable {
    package enum Command: Sendable {
        case register(LogPumpRegistration, CheckedContinuation<Void, any Error>)
        case stop(containerID: String, CheckedContinuation<LogPumpOutcome?, Never>)
        case reopen(containerID: String, CheckedContinuation<Void, any Error>)
        case shutdown(CheckedContinuation<Void, Never>?)
    }

    private struct State {
        var commands: [Command] = []
        var closed = false
    }

    package let wake: LogWakePipe
    private let state = Mutex(State())

    package init() throws {
        wake = try LogWakePipe()
    }

    /// Queues a command and wakes the hub; false once the hub has shut down.
    package func post(_ command: Command) -> Bool {
        let accepted = state.withLock { state in
            guard !state.closed else { return false }
            state.commands.append(command)
            return true
        }
        if accepted { wake.signal() }
        return accepted
    }

    /// Everything queued so far, oldest first.
    package func take() -> [Command] {
        state.withLock { state in
            defer { state.commands.removeAll() }
            return state.commands
        }
    }

    /// Refuses further posts and returns what was still queued.
    package func close() -> [Command] {
        state.withLock { state in
            state.closed = true
            defer { state.commands.removeAll() }
            return state.commands
        }
    }
}
