import Glibc

/// A reading position in a container's log chain: the open file, the record
/// being parsed, and lines whose `P` chunks are still being joined.
///
/// One-shot reads and `follow` share it, so both read rotated files the same
/// way; `follow` just keeps calling `readNew` as the writer appends and rotates.
/// Confined to the thread doing the reading.
final class LogChainCursor {
    let path: String
    private var scanner = LogRecordScanner()
    private var assembler: LogLineAssembler
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var current: LogFileChain.OpenFile?

    init(path: String, streams: Set<LogStream>) {
        self.path = path
        assembler = LogLineAssembler(streams: streams)
    }

    deinit {
        if let current { LogIO.close(current.fd) }
    }

    var malformedRecords: Int { scanner.malformedRecords }

    /// Reads every existing file, rotated ones first, to the end of the live file.
    func readExisting(_ body: (ContainerLogLine) throws -> Void) throws {
        let start = try LogFileChain.start(for: path)
        if let current { LogIO.close(current.fd) }
        current = start.current
        for older in start.older {
            let fd = open(older, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                if errno == ENOENT { continue }  // pruned since listing
                throw SystemError.current("open \(older)")
            }
            defer { LogIO.close(fd) }
            try read(fd, path: older, body)
            scanner.discardFragment()
        }
        if let file = current { try read(file.fd, path: file.path, body) }
    }

    /// Reads what was appended since the last call, following rotations (and the
    /// creation of a log that did not exist yet).
    func readNew(_ body: (ContainerLogLine) throws -> Void) throws {
        if let file = current { try read(file.fd, path: file.path, body) }
        while let next = try LogFileChain.openNext(after: current?.identity, path: path) {
            // The writer renames before it opens the new file, so once the next
            // file exists ours is final: drain it, then switch.
            if let file = current {
                try read(file.fd, path: file.path, body)
                LogIO.close(file.fd)
            }
            scanner.discardFragment()
            current = next
            try read(next.fd, path: next.path, body)
        }
    }

    /// Releases lines still waiting for their `F`, as incomplete: the log is over.
    func flushIncomplete(_ body: (ContainerLogLine) throws -> Void) rethrows {
        for line in assembler.flushIncomplete() { try body(line) }
    }

    private func read(_ fd: Int32, path: String, _ body: (ContainerLogLine) throws -> Void) throws {
        try scanner.readToEnd(fd, path: path, buffer: &buffer) { record in
            if let line = assembler.add(record) { try body(line) }
        }
    }
}
