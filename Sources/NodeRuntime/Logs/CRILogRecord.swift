/// One line of a CRI container log file:
/// `<RFC3339Nano timestamp> <stdout|stderr> <F|P> <content>\n`.
///
/// `P` marks a chunk of a longer line whose remainder follows in later records
/// of the same stream; `F` ends a line. This is the format kubelet reads for
/// `kubectl logs`, so both the pump and the reader go through this one type.
package struct CRILogRecord: Equatable, Sendable {
    package var timestamp: LogTimestamp
    package var stream: LogStream
    package var isPartial: Bool
    /// The payload without the record's trailing newline.
    package var content: [UInt8]

    package init(timestamp: LogTimestamp, stream: LogStream, isPartial: Bool, content: [UInt8]) {
        self.timestamp = timestamp
        self.stream = stream
        self.isPartial = isPartial
        self.content = content
    }

    /// Bytes a record adds to the file besides its content: three separators,
    /// the one-letter tag and the newline (the timestamp and stream are added separately).
    package static func overhead(timestampLength: Int, stream: LogStream) -> Int {
        timestampLength + stream.rawValue.utf8.count + 5
    }

    /// Appends one encoded record. The timestamp arrives pre-formatted because a
    /// pump stamps every record from one read with the same instant.
    package static func encode(
        timestamp: [UInt8], stream: LogStream, isPartial: Bool, content: some Collection<UInt8>,
        into out: inout [UInt8]
    ) {
        out.append(contentsOf: timestamp)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: stream.rawValue.utf8)
        out.append(UInt8(ascii: " "))
        out.append(isPartial ? UInt8(ascii: "P") : UInt8(ascii: "F"))
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: content)
        out.append(UInt8(ascii: "\n"))
    }

    /// The record as the text kubelet expects, including the trailing newline.
    package var encoded: [UInt8] {
        var out: [UInt8] = []
        Self.encode(
            timestamp: timestamp.rfc3339Bytes(fixedFraction: false), stream: stream,
            isPartial: isPartial, content: content, into: &out)
        return out
    }

    /// Parses one line (without its newline). Returns nil for anything that is not
    /// a well-formed record so readers can skip damaged lines instead of failing.
    ///
    /// Like kubelet, the tag field may carry extra `:`-separated tags after the
    /// first; only the first (`F` or `P`) matters.
    package static func parse(_ line: ArraySlice<UInt8>) -> CRILogRecord? {
        let space = UInt8(ascii: " ")
        guard let timestampEnd = line.firstIndex(of: space),
            let timestamp = LogTimestamp(rfc3339: line[line.startIndex..<timestampEnd])
        else { return nil }
        let afterTimestamp = line[(timestampEnd + 1)...]
        guard let streamEnd = afterTimestamp.firstIndex(of: space),
            let stream = LogStream(rawValue: String(decoding: afterTimestamp[..<streamEnd], as: UTF8.self))
        else { return nil }
        let afterStream = line[(streamEnd + 1)...]
        let tagEnd = afterStream.firstIndex(of: space) ?? afterStream.endIndex
        let tags = afterStream[..<tagEnd]
        let firstTag = tags.prefix { $0 != UInt8(ascii: ":") }
        let isPartial: Bool
        switch Array(firstTag) {
        case [UInt8(ascii: "F")]: isPartial = false
        case [UInt8(ascii: "P")]: isPartial = true
        default: return nil
        }
        let content = tagEnd < afterStream.endIndex ? Array(line[(tagEnd + 1)...]) : []
        return CRILogRecord(timestamp: timestamp, stream: stream, isPartial: isPartial, content: content)
    }
}
