import Foundation
import SkiffAPI

/// Ages as kubectl prints them, on SkiffAPI's `HumanDuration` and `RFC3339`
/// (the same code the server's Tables use).
extension HumanDuration {
    public static func format(seconds interval: Double) -> String {
        string(interval)
    }

    /// The age of an object created at an RFC 3339 `timestamp`; `<unknown>` without one.
    public static func age(since timestamp: String?, now: Double) -> String {
        guard let timestamp, let created = RFC3339.seconds(timestamp) else { return "<unknown>" }
        return format(seconds: now - created)
    }
}

extension RFC3339 {
    /// The current time as seconds since the epoch.
    public static func now() -> Double {
        Date().timeIntervalSince1970
    }
}
