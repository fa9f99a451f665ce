/// Reads a container's CRI log files the way kubelet serves `kubectl logs`.
///
/// `path` is the live file (`.../0.log`); rotated siblings are read first, in
/// order. The synchronous methods block on file I/O and belong on a dedicated
/// thread; the async ones run them on a fresh thread so callers on Swift's
/// cooperative pool never block it.
package struct ContainerLogReader: Sendable {
    package let path: String

    package init(path: String) {
        self.path = path
    }

    /// Streams the selected lines (stream, since, tail; `P` chunks joined) to
    /// `body` in log order; `body` returns false to stop early. Returns the number
    /// of malformed lines skipped. `timestamps` and `limitBytes` are rendering
    /// options (see `LogRenderer`) and are ignored here.
    @discardableResult
    package func forEachLine(
        _ options: LogReadOptions = LogReadOptions(), now: LogTimestamp = .now(),
        _ body: (ContainerLogLine) throws -> Bool
    ) throws -> Int {
        struct Stop: Error {}
        try options.validate()
        let cursor = LogChainCursor(path: path, streams: options.streams)
        var collector = LogLineCollector(since: options.sinceCutoff(now: now), tail: options.tailLines)
        func emit(_ line: ContainerLogLine) throws {
            if try !body(line) { throw Stop() }
        }
        do {
            try cursor.readExisting { try collector.add($0, emit: emit) }
            try cursor.flushIncomplete { try collector.add($0, emit: emit) }
            try collector.finish(emit: emit)
        } catch is Stop {}
        return cursor.malformedRecords
    }

    /// The selected lines, collected.
    package func readLines(_ options: LogReadOptions = LogReadOptions(), now: LogTimestamp = .now()) throws
        -> LogReadResult
    {
        var lines: [ContainerLogLine] = []
        let malformed = try forEachLine(options, now: now) { line in
            lines.append(line)
            return true
        }
        return LogReadResult(lines: lines, malformedRecords: malformed)
    }

    /// The `kubectl logs` output: selected lines rendered with optional
    /// timestamps, cut at `limitBytes` (reading stops there too).
    package func read(_ options: LogReadOptions = LogReadOptions(), now: LogTimestamp = .now()) throws -> [UInt8] {
        var renderer = LogRenderer(options)
        var out: [UInt8] = []
        try forEachLine(options, now: now) { line in
            renderer.render(line, into: &out)
            return !renderer.isExhausted
        }
        return out
    }

    /// `readLines` on a dedicated thread.
    package func lines(_ options: LogReadOptions = LogReadOptions()) async throws -> LogReadResult {
        let reader = self
        return try await LogThread.run("log read") { try reader.readLines(options) }
    }

    /// `read` on a dedicated thread.
    package func bytes(_ options: LogReadOptions = LogReadOptions()) async throws -> [UInt8] {
        let reader = self
        return try await LogThread.run("log read") { try reader.read(options) }
    }

    /// `kubectl logs -f`: the selected existing lines (honouring `tailLines` and
    /// the since filter), then every new line as it is written, across rotations,
    /// until the consumer stops iterating, `cancel()`, or `finishAfterDraining()`.
    /// Render with `LogRenderer(options)` for timestamps and `limitBytes`.
    package func follow(_ options: LogReadOptions = LogReadOptions()) throws -> LogFollower {
        try options.validate()
        let channel = try LogLineChannel(capacity: 1024)
        let configuration = LogFollowLoop.Configuration(path: path, options: options, now: .now())
        do {
            try LogThread.detach("log follow") { LogFollowLoop(configuration, channel: channel).run() }
        } catch {
            channel.wake.close()
            throw error
        }
        return LogFollower(channel: channel)
    }
}
