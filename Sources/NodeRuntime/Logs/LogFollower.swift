/// A running `kubectl logs -f`: iterate it for lines as they are written.
///
/// Lines end when the consumer calls `cancel()`, the iterating task is
/// cancelled, the follower is released, or — after `finishAfterDraining()` —
/// once everything already in the files has been delivered. The runtime calls
/// that when the container's pump reports `.endOfStream`, which is what makes
/// `kubectl logs -f` return when the container exits.
package final class LogFollower: AsyncSequence, Sendable {
    package typealias Element = ContainerLogLine

    private let channel: LogLineChannel

    init(channel: LogLineChannel) {
        self.channel = channel
    }

    deinit {
        channel.cancel()
    }

    /// Deliver what the log files hold now, then end the sequence.
    package func finishAfterDraining() {
        channel.requestFinish()
    }

    /// End the sequence now and stop the follow thread.
    package func cancel() {
        channel.cancel()
    }

    /// Why following stopped early (a read error), if it did.
    package var failure: SystemError? { channel.failure }

    package struct AsyncIterator: AsyncIteratorProtocol {
        // Holding the follower keeps it (and the follow thread) alive while iterating.
        fileprivate let follower: LogFollower

        package mutating func next() async -> ContainerLogLine? {
            await follower.channel.receive()
        }
    }

    package func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(follower: self)
    }
}
