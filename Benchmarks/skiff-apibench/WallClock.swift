#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// CLOCK_REALTIME in nanoseconds: the clock skiffd's start trace uses, so the
/// benchmark's own marks (POST sent, Running seen, first HTTP 200) line up with
/// the server's and the node's on one time axis.
enum WallClock {
    static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
