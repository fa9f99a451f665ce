import Foundation

/// The steps of one pod's start, in the order they happen, and the phases
/// between them. The server's, the scheduler's, the node agent's and the
/// runtime's marks come from skiffd's start trace (SKIFF_START_TRACE); the
/// first and the last two are the benchmark's own.
enum StartPhases {
    /// (step that ends the phase, phase name as the report prints it).
    static let phases: [(step: String, name: String)] = [
        ("api.stored", "API write"),
        ("scheduler.placed", "scheduling"),
        ("scheduler.bound", "bind"),
        ("agent.seen", "agent pick-up"),
        ("sandbox.begin", "volumes"),
        ("sandbox.namespaces", "sandbox/netns"),
        ("sandbox.network", "veth/IP"),
        ("container.created", "container record"),
        ("container.logs", "log pipes"),
        ("container.cgroup", "cgroup"),
        ("container.joined", "clone + join"),
        ("container.rootfs", "rootfs mount"),
        ("container.started", "exec"),
        ("status.sending", "status build"),
        ("status.running", "status write"),
        ("bench.running", "watch delivery"),
        ("bench.http", "first HTTP 200"),
    ]
    static let start = "bench.post"

    /// The phase lengths of one pod in milliseconds, in `phases` order. A
    /// step's time is never before the step ahead of it: marks come from
    /// several threads and processes, and a watcher can hear of a write a
    /// moment before the writer notes it (the agent may see the binding before
    /// the scheduler's mark), so such a step counts as taking no time and the
    /// phases always add up to the total. A missing step likewise takes none.
    ///
    /// Likewise no step counts as after the last one: the agent notes its
    /// status write when the PATCH returns, which can be after the benchmark's
    /// watch heard of it, and even after the pod's first HTTP answer.
    static func durations(_ marks: [String: UInt64]) -> [Double]? {
        guard var previous = marks[start], let last = phases.last.flatMap({ marks[$0.step] }), last >= previous else {
            return nil
        }
        return phases.map { phase in
            guard let at = marks[phase.step] else { return 0 }
            let end = min(max(previous, at), last)
            defer { previous = end }
            return Double(end - previous) / 1e6
        }
    }

    /// Marks of the pods named in `keys` (`namespace/name`), first of each step
    /// only (a restarted container marks again), read from skiffd's trace file.
    static func read(trace path: String, keys: Set<String>) throws -> [String: [String: UInt64]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var marks: [String: [String: UInt64]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 2)
            guard fields.count == 3, let at = UInt64(fields[0]) else { continue }
            let key = String(fields[2])
            guard keys.contains(key) else { continue }
            let step = String(fields[1])
            if marks[key]?[step] == nil { marks[key, default: [:]][step] = at }
        }
        return marks
    }
}
