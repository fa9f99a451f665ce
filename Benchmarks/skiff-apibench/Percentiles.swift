import SkiffAPI

/// Order statistics of a set of latencies in milliseconds, by sorting (the sample
/// counts here are small enough that a histogram buys nothing).
struct LatencySummary {
    var count: Int
    var p50: Double
    var p90: Double
    var p99: Double
    var max: Double
    var mean: Double

    init(milliseconds values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        p50 = Self.rank(sorted, 50)
        p90 = Self.rank(sorted, 90)
        p99 = Self.rank(sorted, 99)
        max = sorted.last ?? .nan
        mean = sorted.isEmpty ? .nan : sorted.reduce(0, +) / Double(sorted.count)
    }

    /// Nearest-rank percentile: the smallest value with at least p% of the sample at or
    /// below it, so p99 of 100 values is the 99th, never an interpolation.
    static func rank(_ sorted: [Double], _ percent: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let index = Int((percent / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[Swift.min(Swift.max(index, 0), sorted.count - 1)]
    }

    var json: JSONValue {
        [
            "count": .integer(Int64(count)), "p50": Self.number(p50), "p90": Self.number(p90),
            "p99": Self.number(p99), "max": Self.number(max), "mean": Self.number(mean),
        ]
    }

    var text: String {
        "p50 \(Self.format(p50)) ms, p90 \(Self.format(p90)) ms, p99 \(Self.format(p99)) ms, max \(Self.format(max)) ms (n=\(count))"
    }

    /// NaN (an empty sample) is not JSON; it becomes null.
    static func number(_ value: Double) -> JSONValue {
        value.isFinite ? .double((value * 1000).rounded() / 1000) : .null
    }

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let scaled = Int((value * 100).rounded())
        let sign = scaled < 0 ? "-" : ""
        let magnitude = abs(scaled)
        let hundredths = magnitude % 100
        return "\(sign)\(magnitude / 100).\(hundredths < 10 ? "0" : "")\(hundredths)"
    }
}

extension Duration {
    var milliseconds: Double {
        let parts = components
        return Double(parts.seconds) * 1_000 + Double(parts.attoseconds) / 1e15
    }
}
