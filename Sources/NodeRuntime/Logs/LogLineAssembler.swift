/// Joins `P` chunks back into lines, per stream, and drops unwanted streams.
///
/// Chunks of one stream's line may interleave with the other stream's records
/// and may span a rotation, so state is kept per stream across files. A line is
/// released when its `F` arrives; a joined line growing past `maxLineLength` is
/// released early as incomplete, which renders the same bytes without holding an
/// endless line in memory.
package struct LogLineAssembler {
    package static let maxLineLength = 1 << 20

    package let streams: Set<LogStream>
    private var open: [LogStream: ContainerLogLine] = [:]

    package init(streams: Set<LogStream> = Set(LogStream.allCases)) {
        self.streams = streams
    }

    /// Adds one record; returns the line it completes, if any.
    package mutating func add(_ record: CRILogRecord) -> ContainerLogLine? {
        guard streams.contains(record.stream) else { return nil }
        var line: ContainerLogLine
        if let started = open.removeValue(forKey: record.stream) {
            line = started
            line.content.append(contentsOf: record.content)
        } else {
            line = ContainerLogLine(
                timestamp: record.timestamp, stream: record.stream, content: record.content, isComplete: false)
        }
        if !record.isPartial {
            line.isComplete = true
            return line
        }
        if line.content.count >= Self.maxLineLength { return line }
        open[record.stream] = line
        return nil
    }

    /// Releases unfinished lines as incomplete, oldest first: the log is over.
    package mutating func flushIncomplete() -> [ContainerLogLine] {
        defer { open.removeAll() }
        return open.values.sorted { $0.timestamp < $1.timestamp }
    }
}
