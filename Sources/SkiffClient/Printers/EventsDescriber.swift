import SkiffAPI

/// The `Events:` table at the end of `describe`: oldest first, `Age` as
/// `5m (x3 over 10m)` for repeated events, `From` the reporting component.
public enum EventsDescriber {
    static func describe(_ events: [JSONValue], now: Double, into w: inout DescribeWriter) {
        guard !events.isEmpty else {
            w.write(0, "Events:\t<none>\n")
            return
        }
        w.flush()
        let sorted = events.enumerated().sorted { first, second in
            let a = RFC3339.seconds(first.element["lastTimestamp"].stringValue ?? "") ?? 0
            let b = RFC3339.seconds(second.element["lastTimestamp"].stringValue ?? "") ?? 0
            return a == b ? first.offset < second.offset : a < b
        }.map(\.element)
        w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
        w.write(1, "----\t------\t----\t----\t-------\n")
        for event in sorted {
            w.write(
                1,
                "\(event["type"].stringValue ?? "")\t\(event["reason"].stringValue ?? "")\t\(interval(event, now: now))\t"
                    + "\(source(event))\t\((event["message"].stringValue ?? "").trimmingSpaces())\n")
        }
    }

    /// When the event happened: its first time, or `last (xN over first)` when repeated.
    static func interval(_ event: JSONValue, now: Double) -> String {
        let eventTime = event["eventTime"].stringValue
        let first = eventTime.flatMap { RFC3339.seconds($0) } != nil
            ? HumanDuration.age(since: eventTime, now: now)
            : HumanDuration.age(since: event["firstTimestamp"].stringValue, now: now)
        if let series = event["series"].objectValue, let count = series["count"]?.int64Value {
            return "\(HumanDuration.age(since: series["lastObservedTime"]?.stringValue, now: now)) (x\(count) over \(first))"
        }
        if let count = event["count"].int64Value, count > 1 {
            return "\(HumanDuration.age(since: event["lastTimestamp"].stringValue, now: now)) (x\(count) over \(first))"
        }
        return first
    }

    private static func source(_ event: JSONValue) -> String {
        if let component = event["source"]["component"].stringValue, !component.isEmpty { return component }
        return event["reportingComponent"].stringValue ?? event["reportingController"].stringValue ?? ""
    }
}

extension String {
    /// Go's `strings.TrimSpace`.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
