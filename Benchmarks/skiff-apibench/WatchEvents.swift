import SkiffAPI

/// The events of a watch body, one JSON object per line, handed over with the
/// moment their chunk arrived: taken before parsing, so JSON decoding on the
/// client never counts as delivery. Heartbeats (bare newlines) are skipped.
enum WatchEvents {
    struct Arrival {
        var instant: ContinuousClock.Instant
        /// Wall clock, for comparing with marks other processes took (StartTrace).
        var wallNanoseconds: UInt64
    }

    /// Reads `body` to its end; returns the last problem seen (an unparsable
    /// line, an ERROR event), nil when there was none. Throws what reading throws.
    /// `after` runs once the events of a chunk were handled (for async work on them).
    static func read(
        _ body: AsyncThrowingStream<[UInt8], Error>, _ handle: (_ type: String, _ object: JSONValue, Arrival) -> Void,
        after: () async -> Void = {}
    ) async throws -> String? {
        var problem: String?
        var pending: [UInt8] = []
        let clock = ContinuousClock()
        for try await chunk in body {
            let arrived = Arrival(instant: clock.now, wallNanoseconds: WallClock.nanoseconds())
            pending += chunk
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) { continue }
                guard let event = try? JSONValue(jsonBytes: line) else {
                    problem = "unparsable watch line: \(String(decoding: line.prefix(200), as: UTF8.self))"
                    continue
                }
                let type = event["type"].stringValue ?? ""
                if type == "ERROR" { problem = "watch ERROR: \(event["object"]["message"].stringValue ?? "?")" }
                handle(type, event["object"], arrived)
            }
            await after()
        }
        return problem
    }
}
