import Glibc

/// One container's output pipes and log file, driven by the hub thread.
///
/// Not `Sendable`: it is created, pumped and finished only on the hub thread,
/// which is what lets it keep framers and the writer without locks.
final class ContainerLogPump {
    private struct Source {
        var fd: Int32
        let stream: LogStream
        var framer = LogLineFramer()
    }

    let containerID: String
    private let writer: ContainerLogWriter
    private var sources: [Source]
    private let onFinished: @Sendable (LogPumpOutcome) -> Void
    private var readError: SystemError?
    private var outcome: LogPumpOutcome?

    /// Opens every source and the log file. On failure everything opened so far,
    /// and every descriptor the caller handed over, is closed.
    init(_ registration: LogPumpRegistration) throws {
        containerID = registration.containerID
        onFinished = registration.onFinished
        var opened: [Source] = []
        // Sources handed to `open` so far; it closes a descriptor itself on failure.
        var consumed = 0
        do {
            guard !registration.sources.isEmpty else {
                throw RuntimeError("log pump for \(registration.containerID) needs at least one source")
            }
            for source in registration.sources {
                consumed += 1
                let fd = try Self.open(source.endpoint, containerID: containerID)
                opened.append(Source(fd: fd, stream: source.stream))
            }
            writer = try ContainerLogWriter(path: registration.logPath, policy: registration.policy)
        } catch {
            for source in opened { LogIO.close(source.fd) }
            for source in registration.sources.dropFirst(consumed) {
                if case .descriptor(let fd) = source.endpoint { LogIO.close(fd) }
            }
            throw error
        }
        sources = opened
    }

    /// Descriptors to poll, with their source index; closed sources are left out.
    var openSources: [(index: Int, fd: Int32)] {
        sources.indices.compactMap { sources[$0].fd >= 0 ? ($0, sources[$0].fd) : nil }
    }

    /// All writers closed every source: the container's output is complete.
    var reachedEndOfStream: Bool { sources.allSatisfy { $0.fd < 0 } }

    /// Reads what is available from one source (at most `maxReads` reads, so one
    /// chatty container cannot starve the others) and appends it to the log.
    /// End of file closes the source after writing any held-back partial line.
    func pump(source index: Int, buffer: inout [UInt8], maxReads: Int) {
        defer { writer.flush() }
        for _ in 0..<maxReads {
            let fd = sources[index].fd
            guard fd >= 0 else { return }
            guard let count = LogIO.read(fd, into: &buffer) else {
                if errno == EAGAIN || errno == EWOULDBLOCK { return }
                readError = .current("read \(sources[index].stream.rawValue) of container \(containerID)")
                closeSource(index)
                return
            }
            if count == 0 {
                closeSource(index)
                return
            }
            let writer = self.writer
            let stream = sources[index].stream
            let time = LogTimestamp.now()
            sources[index].framer.push(buffer[..<count]) { chunk, isPartial in
                writer.append(stream: stream, isPartial: isPartial, content: chunk, at: time)
            }
        }
    }

    /// Drains what the pipes hold right now, writes held-back partial lines as
    /// `P`, and closes everything. Writers may still be alive; whatever they write
    /// next waits in the pipe for the next pump on the same FIFO.
    func stop(buffer: inout [UInt8]) -> LogPumpOutcome {
        for index in sources.indices {
            // Bounded: a container writing flat out must not hold the hub forever.
            pump(source: index, buffer: &buffer, maxReads: 64)
            closeSource(index)
        }
        return finish(.stopped)
    }

    /// Continues in a fresh live file after an outside rotation.
    func reopenLog() throws {
        try writer.reopen()
    }

    /// Closes the log file and reports the outcome to the registrant, once.
    @discardableResult
    func finish(_ reason: LogPumpOutcome.Reason) -> LogPumpOutcome {
        if let outcome { return outcome }
        for index in sources.indices { closeSource(index) }
        writer.close()
        let result = LogPumpOutcome(
            reason: reason, bytesWritten: writer.bytesWritten, droppedBytes: writer.droppedBytes,
            lastError: writer.lastError ?? readError)
        outcome = result
        onFinished(result)
        return result
    }

    private func closeSource(_ index: Int) {
        guard sources[index].fd >= 0 else { return }
        let writer = self.writer
        let stream = sources[index].stream
        let time = LogTimestamp.now()
        sources[index].framer.flush { chunk, isPartial in
            writer.append(stream: stream, isPartial: isPartial, content: chunk, at: time)
        }
        writer.flush()
        LogIO.close(sources[index].fd)
        sources[index].fd = -1
    }

    private static func open(_ endpoint: LogSource.Endpoint, containerID: String) throws -> Int32 {
        switch endpoint {
        case .fifo(let path):
            return try ContainerLogFIFO.openPumpEnd(path)
        case .descriptor(let fd):
            guard fd >= 0 else { throw RuntimeError("log source for \(containerID) has invalid descriptor \(fd)") }
            do {
                try LogIO.setNonBlocking(fd, step: "fcntl O_NONBLOCK (log source of \(containerID))")
            } catch {
                LogIO.close(fd)
                throw error
            }
            return fd
        }
    }
}
