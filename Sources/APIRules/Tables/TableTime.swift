import Foundation
import SkiffAPI

/// The time cells of a Table: ages read from the API's RFC 3339 timestamps.
enum TableTime {
    /// `translateTimestampSince`: the age of `timestamp` at `now`, `<unknown>` when unset.
    static func since(_ timestamp: JSONValue, now: Date) -> String {
        guard let text = timestamp.stringValue, let date = RFC3339.date(text) else { return "<unknown>" }
        return HumanDuration.string(now.timeIntervalSince(date))
    }
}
