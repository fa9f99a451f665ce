import Glibc

/// A point on the monotonic clock by which a probe must be done; every wait
/// of one probe (connect, send, each read) polls for what remains of it, so
/// the timeout bounds the whole attempt as the kubelet's client timeout does.
struct ProbeDeadline {
    private let end: UInt64

    init(after timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + max(0, attoseconds) / 1_000_000_000
        end = Self.now() &+ UInt64(nanoseconds)
    }

    /// Milliseconds left for poll(2), rounded up so a wait never ends early; 0 when past.
    var remainingMilliseconds: Int32 {
        let now = Self.now()
        guard now < end else { return 0 }
        return Int32(min((end - now + 999_999) / 1_000_000, UInt64(Int32.max)))
    }

    private static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
