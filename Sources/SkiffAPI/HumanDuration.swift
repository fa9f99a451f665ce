import Foundation

/// apimachinery's `duration.HumanDuration`: the AGE, Restarts "(… ago)" and Job Duration cells.
///
/// About two significant figures, switching units at the same thresholds as Go so a
/// 150 s old pod reads `2m30s`, a 3 h 5 m old one `3h5m` and a 9 day old one `9d`.
public enum HumanDuration {
    /// `seconds` may be slightly negative when clocks disagree: up to a second reads `0s`,
    /// anything earlier `<invalid>`, as Kubernetes prints it.
    public static func string(_ seconds: TimeInterval) -> String {
        guard !seconds.isNaN else { return "<invalid>" }
        let nanoseconds = goDuration(seconds)
        let wholeSeconds = nanoseconds / 1_000_000_000
        if wholeSeconds < -1 { return "<invalid>" }
        if wholeSeconds < 0 { return "0s" }
        if wholeSeconds < 60 * 2 { return "\(wholeSeconds)s" }

        let minutes = nanoseconds / 60_000_000_000
        if minutes < 10 {
            let remainder = wholeSeconds % 60
            return remainder == 0 ? "\(minutes)m" : "\(minutes)m\(remainder)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }

        let hours = nanoseconds / 3_600_000_000_000
        if hours < 8 {
            let remainder = minutes % 60
            return remainder == 0 ? "\(hours)h" : "\(hours)h\(remainder)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let remainder = hours % 24
            return remainder == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(remainder)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }

    /// Go's `time.Duration`: whole nanoseconds in 64 bits, saturating at the ends.
    private static func goDuration(_ seconds: TimeInterval) -> Int64 {
        let nanoseconds = (seconds * 1_000_000_000).rounded(.towardZero)
        if nanoseconds >= 9.2e18 { return Int64.max }
        if nanoseconds <= -9.2e18 { return Int64.min }
        return Int64(nanoseconds)
    }
}
