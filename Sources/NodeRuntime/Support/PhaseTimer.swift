import Glibc

/// Prints how long each phase of an operation took to stderr when
/// SKIFF_TIMING is set, so a start can be broken down without a profiler
/// (strace distorts exactly the short syscalls that matter here).
package struct PhaseTimer {
    private let enabled = getenv("SKIFF_TIMING") != nil
    private var last = PhaseTimer.now()
    private var phases: [(String, UInt64)] = []

    package init() {}

    package mutating func mark(_ phase: String) {
        guard enabled else { return }
        let now = Self.now()
        phases.append((phase, now - last))
        last = now
    }

    package func report(_ label: String) {
        guard enabled else { return }
        let parts = phases.map { "\($0.0)=\(Double($0.1) / 1000)µs" }.joined(separator: " ")
        let line = "skiff timing \(label): \(parts)\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }

    private static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
