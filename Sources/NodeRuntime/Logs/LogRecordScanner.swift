/// Splits the bytes of CRI log files into records, skipping damaged lines.
///
/// A trailing fragment without a newline is kept, not parsed: in the live file it
/// is a record still being written, so a follower completes it on the next read.
/// Runaway lines (no newline within `maxRecordLength`) are dropped rather than
/// buffered without bound.
package struct LogRecordScanner {
    /// Far above the pump's 16 KiB chunks, so only foreign or corrupt files hit it.
    package static let maxRecordLength = 1 << 20

    package private(set) var malformedRecords = 0
    private var fragment: [UInt8] = []
    private var skippingOversized = false

    package init() {}

    /// Feeds bytes in file order; `body` receives each complete record.
    package mutating func push(_ bytes: ArraySlice<UInt8>, _ body: (CRILogRecord) throws -> Void) rethrows {
        let newline = UInt8(ascii: "\n")
        var rest = bytes
        while let end = rest.firstIndex(of: newline) {
            defer { rest = rest[(end + 1)...] }
            if skippingOversized {
                skippingOversized = false
                fragment.removeAll(keepingCapacity: true)
                continue
            }
            let record: CRILogRecord?
            let isEmpty: Bool
            if fragment.isEmpty {
                record = CRILogRecord.parse(rest[rest.startIndex..<end])
                isEmpty = end == rest.startIndex
            } else {
                fragment.append(contentsOf: rest[rest.startIndex..<end])
                record = CRILogRecord.parse(fragment[...])
                isEmpty = false
                fragment.removeAll(keepingCapacity: true)
            }
            if let record {
                try body(record)
            } else if !isEmpty {
                malformedRecords += 1
            }
        }
        guard !skippingOversized else { return }
        fragment.append(contentsOf: rest)
        if fragment.count > Self.maxRecordLength {
            malformedRecords += 1
            fragment.removeAll()
            skippingOversized = true
        }
    }

    /// Reads `fd` to its current end of file.
    package mutating func readToEnd(
        _ fd: Int32, path: String, buffer: inout [UInt8], _ body: (CRILogRecord) throws -> Void
    ) throws {
        while true {
            guard let count = LogIO.read(fd, into: &buffer) else { throw SystemError.current("read \(path)") }
            if count == 0 { return }
            try push(buffer[..<count], body)
        }
    }

    /// Forgets an unterminated tail: the file it came from will not grow any more.
    package mutating func discardFragment() {
        fragment.removeAll(keepingCapacity: true)
        skippingOversized = false
    }
}
