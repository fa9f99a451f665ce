import Glibc

/// Appends CRI records to one container's log file and rotates it kubelet-style.
///
/// Owned by a single pump on the hub thread, hence not `Sendable`. Records are
/// buffered only within one pump round so each round costs about one `write(2)`,
/// and rotation happens *between* records: every file, live or rotated, parses on
/// its own and no file exceeds `maxSize` unless one record alone does.
///
/// Write failures (a full disk) drop the data and are remembered rather than
/// thrown: the pump must keep draining the pipe or the container would block on
/// its next write to stdout.
package final class ContainerLogWriter {
    package let path: String
    package let policy: LogRotationPolicy
    /// Bytes in the live file as far as this writer knows.
    package private(set) var size: Int
    package private(set) var bytesWritten = 0
    package private(set) var droppedBytes = 0
    package private(set) var lastError: SystemError?

    private var fd: Int32
    private var pending: [UInt8] = []
    /// The file ends inside a record (a crash or failed write mid-record):
    /// start the next write on a new line so only the torn record is unreadable.
    private var tornTail: Bool
    private var stampTime: LogTimestamp?
    private var stampText: [UInt8] = []
    private static let flushThreshold = 256 * 1024

    /// Opens (or creates) the live file for appending. Existing content is kept:
    /// a restarted daemon continues the file its predecessor wrote.
    package init(path: String, policy: LogRotationPolicy = .kubeletDefault) throws {
        self.path = path
        self.policy = policy
        fd = try Self.openLive(path)
        size = LogIO.size(of: fd) ?? 0
        tornTail = Self.endsMidRecord(fd, size: size)
    }

    deinit {
        LogIO.close(fd)
    }

    /// Queues one record; it reaches the file at the next `flush()` (or sooner
    /// when the buffer fills or a rotation is due).
    package func append(
        stream: LogStream, isPartial: Bool, content: some Collection<UInt8>, at time: LogTimestamp
    ) {
        guard fd >= 0 else {
            droppedBytes += content.count
            return
        }
        if stampTime != time {
            stampText = time.rfc3339Bytes(fixedFraction: false)
            stampTime = time
        }
        let length = CRILogRecord.overhead(timestampLength: stampText.count, stream: stream) + content.count
        let projected = size + pending.count
        if projected > 0 && projected + length > policy.maxSize {
            flush()
            rotate(at: time)
        }
        CRILogRecord.encode(
            timestamp: stampText, stream: stream, isPartial: isPartial, content: content, into: &pending)
        if pending.count >= Self.flushThreshold { flush() }
    }

    /// Writes queued records to the live file.
    package func flush() {
        guard !pending.isEmpty, fd >= 0 else { return }
        if tornTail {
            pending.insert(UInt8(ascii: "\n"), at: 0)
            tornTail = false
        }
        let result = LogIO.writeAll(fd, pending, step: "write \(path)")
        size += result.written
        bytesWritten += result.written
        if let error = result.error {
            lastError = error
            droppedBytes += pending.count - result.written
            tornTail = result.written > 0 && pending[result.written - 1] != UInt8(ascii: "\n")
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the live file; later appends are counted as dropped.
    package func close() {
        flush()
        LogIO.close(fd)
        fd = -1
    }

    /// CRI `ReopenContainerLog`: whoever rotates the log from outside (kubelet's
    /// container log manager) has renamed the live file; continue in a new one at
    /// `path`. If the file was not moved, this just reopens it.
    package func reopen() throws {
        flush()
        let fresh = try Self.openLive(path)
        LogIO.close(fd)
        fd = fresh
        size = LogIO.size(of: fd) ?? 0
        tornTail = Self.endsMidRecord(fd, size: size)
    }

    /// Renames the live file to its rotated name, starts a fresh one and deletes
    /// the oldest rotated files beyond `maxFiles`. On failure the current file is
    /// kept (it grows past `maxSize`) rather than losing records.
    private func rotate(at time: LogTimestamp) {
        let rotated = RotatedLogFiles.nextName(for: path, at: time)
        var renamed = true
        if rename(path, rotated) != 0 {
            // ENOENT: someone removed the live file; starting a new one is the rotation.
            guard errno == ENOENT else {
                lastError = .current("rename \(path) to \(rotated)")
                return
            }
            renamed = false
        }
        let fresh: Int32
        do {
            fresh = try Self.openLive(path)
        } catch {
            lastError = error as? SystemError ?? SystemError("open \(path)", errno: EIO)
            if renamed { _ = rename(rotated, path) }
            return
        }
        LogIO.close(fd)
        fd = fresh
        size = 0
        tornTail = false
        prune()
    }

    private func prune() {
        let rotated = RotatedLogFiles.list(for: path)
        let excess = rotated.count - (policy.maxFiles - 1)
        guard excess > 0 else { return }
        for old in rotated.prefix(excess) where unlink(old) != 0 && errno != ENOENT {
            lastError = .current("unlink \(old)")
        }
    }

    private static func endsMidRecord(_ fd: Int32, size: Int) -> Bool {
        var last: UInt8 = 0
        return size > 0 && pread(fd, &last, 1, off_t(size - 1)) == 1 && last != UInt8(ascii: "\n")
    }

    /// Read-write so a reopened file's last byte can be checked for a torn record.
    private static func openLive(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw SystemError.current("open \(path)") }
        return fd
    }
}
