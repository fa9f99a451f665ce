/// Cuts one stream's raw bytes into CRI log chunks: a full line per newline, and
/// `P` chunks of at most `maxChunk` bytes for lines longer than that.
///
/// A line without its newline yet is held back (up to `maxChunk` bytes) until the
/// newline arrives, so ordinary writes split across pipe reads still become one
/// `F` record. `flush()` releases the held bytes as a `P` chunk when the stream
/// ends or the pump stops; a later pump continues the line and the reader joins it.
package struct LogLineFramer: Sendable {
    /// kubelet's and containerd's limit on a single record's content (16 KiB).
    package static let defaultMaxChunk = 16 * 1024

    package let maxChunk: Int
    private var pending: [UInt8] = []

    package init(maxChunk: Int = LogLineFramer.defaultMaxChunk) {
        self.maxChunk = max(1, maxChunk)
    }

    /// Bytes held back waiting for a newline.
    package var pendingCount: Int { pending.count }

    /// Feeds newly read bytes; `emit(content, isPartial)` receives each chunk in order.
    package mutating func push(
        _ bytes: some Collection<UInt8>, emit: (ArraySlice<UInt8>, _ isPartial: Bool) -> Void
    ) {
        let newline = UInt8(ascii: "\n")
        var rest = ArraySlice(bytes)
        while let end = rest.firstIndex(of: newline) {
            if pending.isEmpty {
                emitLine(rest[rest.startIndex..<end], emit: emit)
            } else {
                pending.append(contentsOf: rest[rest.startIndex..<end])
                emitLine(pending[...], emit: emit)
                pending.removeAll(keepingCapacity: true)
            }
            rest = rest[(end + 1)...]
        }
        pending.append(contentsOf: rest)
        if pending.count > maxChunk {
            let whole = pending.count / maxChunk * maxChunk
            // Keep a non-empty tail only when it is shorter than a chunk; an exact
            // multiple keeps one full chunk back so a following newline yields `F`.
            let cut = whole == pending.count ? whole - maxChunk : whole
            var start = 0
            while start < cut {
                emit(pending[start..<(start + maxChunk)], true)
                start += maxChunk
            }
            pending.removeFirst(cut)
        }
    }

    /// Emits whatever is held back as a final `P` chunk (nothing if empty).
    package mutating func flush(emit: (ArraySlice<UInt8>, _ isPartial: Bool) -> Void) {
        guard !pending.isEmpty else { return }
        emit(pending[...], true)
        pending.removeAll(keepingCapacity: true)
    }

    private func emitLine(_ line: ArraySlice<UInt8>, emit: (ArraySlice<UInt8>, Bool) -> Void) {
        var start = line.startIndex
        while line.endIndex - start > maxChunk {
            emit(line[start..<(start + maxChunk)], true)
            start += maxChunk
        }
        emit(line[start...], false)
    }
}
