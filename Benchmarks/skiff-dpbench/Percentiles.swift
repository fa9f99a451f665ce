/// Order statistics of one sample (microseconds or seconds alike), by
/// sorting: the samples here are thousands at most.
struct Percentiles: Codable {
    var count: Int
    var p50: Double
    var p90: Double
    var p99: Double
    var max: Double

    init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        p50 = Self.rank(sorted, 50)
        p90 = Self.rank(sorted, 90)
        p99 = Self.rank(sorted, 99)
        max = sorted.last ?? 0
    }

    /// Nearest rank: the smallest value with at least p% of the sample at or
    /// below it, never an interpolation between two measurements.
    static func rank(_ sorted: [Double], _ percent: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let index = Int((percent / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[Swift.min(Swift.max(index, 0), sorted.count - 1)]
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
