/// kubelet's CrashLoopBackOff for one container: the first restart is
/// immediate, then each waits twice as long as the one before (10 s, 20 s,
/// 40 s, … capped at 5 minutes); a container that ran for 10 minutes before
/// it exited starts over.
package struct RestartBackoff: Sendable, Equatable {
    package let initial: Duration
    package let maximum: Duration
    package let reset: Duration
    /// The delay the next restart waits; nil until the first restart.
    package private(set) var delay: Duration?

    package init(initial: Duration, maximum: Duration, reset: Duration) {
        self.initial = initial
        self.maximum = maximum
        self.reset = reset
    }

    /// The wait before restarting a container that ran for `ranFor` and just
    /// exited, and the state for the restart after that.
    package mutating func next(ranFor: Duration) -> Duration {
        if ranFor >= reset { delay = nil }
        guard let current = delay else {
            delay = initial
            return .zero
        }
        delay = min(current * 2, maximum)
        return current
    }
}
