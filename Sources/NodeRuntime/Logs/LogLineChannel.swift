import Synchronization

/// A bounded hand-off from a follow thread to one async consumer.
///
/// `AsyncStream` would buffer without limit behind a slow client while a busy
/// container keeps logging; here the producer thread parks in `poll` on `wake`
/// once `capacity` lines are waiting, and the consumer wakes it as it takes
/// lines. `cancel` (consumer gone) and `requestFinish` also wake it.
package final class LogLineChannel: Sendable {
    package enum SendResult: Equatable, Sendable {
        case sent
        /// Buffer full: wait on `wake` and try again.
        case full
        /// The consumer is gone: stop producing.
        case cancelled
    }

    private enum Delivery {
        case line(ContainerLogLine)
        case end
        case parked
    }

    private struct State {
        var buffer: [ContainerLogLine] = []
        var waiter: CheckedContinuation<ContainerLogLine?, Never>?
        var producerWaiting = false
        var producerDone = false
        var cancelled = false
        var finishRequested = false
        var failure: SystemError?
    }

    package let capacity: Int
    /// Wakes the producer thread; it closes this when it exits.
    package let wake: LogWakePipe
    private let state = Mutex(State())

    package init(capacity: Int) throws {
        self.capacity = max(1, capacity)
        wake = try LogWakePipe()
    }

    // MARK: Producer side (the follow thread)

    package func send(_ line: ContainerLogLine) -> SendResult {
        let (result, waiter) = state.withLock { state -> (SendResult, CheckedContinuation<ContainerLogLine?, Never>?) in
            if state.cancelled { return (.cancelled, nil) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (.sent, waiter)
            }
            if state.buffer.count >= capacity {
                state.producerWaiting = true
                return (.full, nil)
            }
            state.buffer.append(line)
            return (.sent, nil)
        }
        waiter?.resume(returning: line)
        return result
    }

    /// No more lines will come; the consumer sees the end after the buffered ones.
    package func producerFinished(failure: SystemError? = nil) {
        let waiter = state.withLock { state in
            state.producerDone = true
            state.failure = state.failure ?? failure
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    package var isCancelled: Bool { state.withLock { $0.cancelled } }
    package var isFinishRequested: Bool { state.withLock { $0.finishRequested } }

    // MARK: Consumer side

    /// The next line, or nil at the end (producer done, cancelled, or the
    /// consuming task was cancelled). One consumer at a time.
    package func receive() async -> ContainerLogLine? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ContainerLogLine?, Never>) in
                let delivery = state.withLock { state -> Delivery in
                    if !state.buffer.isEmpty {
                        if state.producerWaiting {
                            state.producerWaiting = false
                            wake.signal()
                        }
                        return .line(state.buffer.removeFirst())
                    }
                    if state.producerDone || state.cancelled || state.waiter != nil { return .end }
                    state.waiter = continuation
                    return .parked
                }
                switch delivery {
                case .line(let line): continuation.resume(returning: line)
                case .end: continuation.resume(returning: nil)
                case .parked: break
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// The consumer is gone: drop buffered lines and stop the producer.
    package func cancel() {
        let waiter = state.withLock { state in
            state.cancelled = true
            state.buffer.removeAll()
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
        wake.signal()
    }

    /// Deliver what is in the files now, then end.
    package func requestFinish() {
        state.withLock { $0.finishRequested = true }
        wake.signal()
    }

    package var failure: SystemError? { state.withLock { $0.failure } }
}
