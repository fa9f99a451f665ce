import Foundation

/// Everything one run measured: one backend at one number of Services.
/// Encoded as one JSON line for scripts/bench-dataplane.
struct RunResult: Codable {
    var backend: String
    /// The iptables backend's restore program (nil for nftables).
    var iptablesRestore: String?
    var services: Int
    var endpointsPerService: Int
    /// Frontends programmed (each Service's IP, the last one's NodePort).
    var frontends: Int
    var fullSync: SyncStats
    /// A second proxy and backend over the table the first left in place.
    var restartSync: SyncStats
    /// The last Service's pod 2 swapped for another address and back.
    var endpointReplace: ChangeStats
    /// The last Service's pod 2 removed and added back (3 ↔ 2 endpoints).
    var endpointCount: ChangeStats
    var connectLast: ConnectStats
    var connectFirst: ConnectStats
    /// nftables: connect latency to the last of 10 vs the last of N, in this lab.
    var scaling: ScalingStats?
    var throughput: ThroughputStats?
    var wallSeconds: Double

    var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    var summary: String {
        var lines = [
            "\(backend)\(iptablesRestore.map { " (\($0))" } ?? ""), \(services) Services × \(endpointsPerService) endpoints (\(frontends) frontends), run took \(Self.fixed(wallSeconds, 1)) s",
            "  full sync:            \(fullSync.text)",
            "  restart (takeover):   \(restartSync.text)",
            "  endpoint replaced:    \(endpointReplace.text)",
            "  endpoint count ±1:    \(endpointCount.text)",
            "  connect, last Service:  \(Self.connectText(connectLast))",
            "  connect, first Service: \(Self.connectText(connectFirst))",
        ]
        if let scaling {
            lines.append("  same lab, last of \(ScalingStats.smallServices) vs last of \(services): " + scaling.text)
        }
        if let t = throughput {
            lines.append(
                "  iperf3 \(t.seconds) s: pod IP \(Self.fixed(t.podIPBitsPerSecond / 1e9, 2)) Gbit/s, "
                    + "ClusterIP \(Self.fixed(t.clusterIPBitsPerSecond / 1e9, 2)) Gbit/s (\(Self.fixed(t.ratio * 100, 1))%)")
        } else {
            lines.append("  iperf3: n/a")
        }
        return lines.joined(separator: "\n")
    }

    static func connectText(_ c: ConnectStats) -> String {
        "\(c.target) p50 \(fixed(c.micros.p50, 1)) µs, p99 \(fixed(c.micros.p99, 1)) µs, "
            + "\(fixed(c.perSecond, 0)) conn/s (n=\(c.count), \(c.failures) failed)"
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}

/// Connect p50 to the last Service with 10 Services programmed and with all
/// N, alternating in one lab (`rounds` each).
struct ScalingStats: Codable {
    static let smallServices = 10
    static let rounds = 7
    /// Wait after each resize of the table: the kernel's hash sets grow and
    /// shrink in a deferred worker (rhashtable), and a set that just went
    /// from 10 to 10,000 Services is still being rehashed for a moment.
    /// What is compared is the steady state.
    static let settle: Duration = .seconds(2)

    var services: Int
    var connectsPerRound: Int
    var smallP50: [Double] = []
    var largeP50: [Double] = []

    var smallMedian: Double { Self.median(smallP50) }
    var largeMedian: Double { Self.median(largeP50) }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    var text: String {
        "p50 \(RunResult.fixed(smallMedian, 1)) vs \(RunResult.fixed(largeMedian, 1)) µs (median of \(Self.rounds) rounds of \(connectsPerRound))"
    }
}

/// A full sync: the kernel part as the proxy reports it, the whole call
/// (compiling the Services included) and the CPU it cost.
struct SyncStats: Codable {
    var seconds: Double
    var wallSeconds: Double
    /// This process's user + system time and its children's (iptables-restore
    /// and -save run as children; netlink's kernel work is our system time).
    var cpuSeconds: Double
    var childCPUSeconds: Double

    var text: String {
        "\(RunResult.fixed(seconds * 1e3, 2)) ms (call \(RunResult.fixed(wallSeconds * 1e3, 2)) ms, "
            + "CPU \(RunResult.fixed(cpuSeconds, 3)) s + children \(RunResult.fixed(childCPUSeconds, 3)) s)"
    }
}

/// Repeated one-Service endpoint changes.
struct ChangeStats: Codable {
    /// The kernel part (`ServiceProxy.Report.seconds`), µs.
    var micros: Percentiles
    /// The whole `upsert` call (compile, diff, queue hop), µs.
    var wallMicros: Percentiles
    /// nftables: libnftables transactions the changes needed (a new or freed
    /// endpoint-count class); element-only changes need none.
    var structureTransactions: Int?

    var text: String {
        var text = "median \(RunResult.fixed(micros.p50, 1)) µs, p90 \(RunResult.fixed(micros.p90, 1)) µs "
            + "(call median \(RunResult.fixed(wallMicros.p50, 1)) µs, n=\(micros.count))"
        if let structureTransactions { text += ", \(structureTransactions) structure transactions" }
        return text
    }
}

/// CPU time of this process and of its waited-for children, for a before/after difference.
struct CPUTimes {
    var own: Double
    var children: Double

    static func now() -> CPUTimes {
        func seconds(_ who: Int32) -> Double {
            var usage = rusage()
            getrusage(__rusage_who_t(who), &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
        return CPUTimes(own: seconds(RUSAGE_SELF.rawValue), children: seconds(RUSAGE_CHILDREN.rawValue))
    }
}
