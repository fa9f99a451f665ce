import Glibc

/// Wall-clock marks of the steps of a pod's start, one line each, appended to
/// the file named by SKIFF_START_TRACE (unset: every call is one load and a
/// branch). The API server, the scheduler, the node agent and the runtime all
/// mark into the same file, and so can a benchmark in another process: the
/// timestamps are CLOCK_REALTIME, the one clock they share, so
/// scripts/bench-pod-start can say which step of a start took the time without a
/// profiler (which would distort exactly these millisecond steps).
///
/// A line is `<unix nanoseconds> <step> <namespace>/<pod name>`. Each is one
/// `write(2)` to an O_APPEND file, so lines from concurrent threads never
/// interleave.
package enum StartTrace {
    /// The trace file, opened on first use; -1 when tracing is off.
    private static let fd: Int32 = {
        guard let path = getenv("SKIFF_START_TRACE"), path.pointee != 0 else { return -1 }
        return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    }()

    package static var enabled: Bool { fd >= 0 }

    /// Marks `step` of the pod `namespace/name` as done now.
    package static func mark(_ step: String, namespace: String?, name: String?) {
        guard fd >= 0 else { return }
        mark(step, namespace: namespace, name: name, at: now())
    }

    /// Marks a step that ended at `nanoseconds` (a time taken earlier, for
    /// example by a child process before it exec'd).
    package static func mark(_ step: String, namespace: String?, name: String?, at nanoseconds: UInt64) {
        guard fd >= 0 else { return }
        let line = "\(nanoseconds) \(step) \(namespace ?? "default")/\(name ?? "")\n"
        _ = line.withCString { write(fd, $0, strlen($0)) }
    }

    /// CLOCK_REALTIME in nanoseconds since the epoch.
    package static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
