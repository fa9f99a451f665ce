import Glibc

/// The body of a follow thread: catch up on the existing log, then wait for
/// writes with inotify and read them, hopping to the next file on rotation.
///
/// The directory is watched rather than the file because rotation renames the
/// file and creates a new one; a one-second poll timeout backs up inotify
/// (watch limits exhausted, exotic filesystems).
final class LogFollowLoop {
    struct Configuration: Sendable {
        var path: String
        var options: LogReadOptions
        var now: LogTimestamp
    }

    private struct Cancelled: Error {}

    private let configuration: Configuration
    private let channel: LogLineChannel
    private let cursor: LogChainCursor
    private var inotifyFD: Int32 = -1

    init(_ configuration: Configuration, channel: LogLineChannel) {
        self.configuration = configuration
        self.channel = channel
        cursor = LogChainCursor(path: configuration.path, streams: configuration.options.streams)
    }

    func run() {
        var failure: SystemError?
        do {
            watchDirectory()
            try follow()
        } catch let error as SystemError {
            failure = error
        } catch {
            // Cancelled: the consumer is gone, nothing to report.
        }
        LogIO.close(inotifyFD)
        channel.producerFinished(failure: failure)
        channel.wake.close()
    }

    private func follow() throws {
        let deliver: (ContainerLogLine) throws -> Void = { [self] line in try self.deliver(line) }
        // Existing lines: with a tail they are held until the end is known.
        var catchUp = LogLineCollector(
            since: configuration.options.sinceCutoff(now: configuration.now),
            tail: configuration.options.tailLines)
        try cursor.readExisting { try catchUp.add($0, emit: deliver) }
        try catchUp.finish(emit: deliver)
        // New lines only need the time filter.
        var fresh = LogLineCollector(since: catchUp.since, tail: nil)
        while true {
            // Sampled before reading: a finish request means "the writer is done",
            // so one more full read after seeing it is guaranteed to be complete.
            let finishing = channel.isFinishRequested
            try cursor.readNew { try fresh.add($0, emit: deliver) }
            if finishing {
                try cursor.flushIncomplete { try fresh.add($0, emit: deliver) }
                return
            }
            if channel.isCancelled { throw Cancelled() }
            waitForChange()
        }
    }

    /// Hands a line to the consumer, parking while its buffer is full.
    private func deliver(_ line: ContainerLogLine) throws {
        while true {
            switch channel.send(line) {
            case .sent: return
            case .cancelled: throw Cancelled()
            case .full:
                var wake = pollfd(fd: channel.wake.readFD, events: Int16(POLLIN), revents: 0)
                _ = poll(&wake, 1, -1)
                channel.wake.drain()
            }
        }
    }

    private func waitForChange() {
        var fds = [pollfd(fd: channel.wake.readFD, events: Int16(POLLIN), revents: 0)]
        if inotifyFD >= 0 { fds.append(pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0)) }
        _ = poll(&fds, nfds_t(fds.count), inotifyFD >= 0 ? 1_000 : 200)
        channel.wake.drain()
        if inotifyFD >= 0 {
            var events = [UInt8](repeating: 0, count: 4_096)
            while let count = LogIO.read(inotifyFD, into: &events), count > 0 {}
        }
    }

    private func watchDirectory() {
        let path = configuration.path
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return }
        let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_CLOSE_WRITE)
        guard inotify_add_watch(fd, directory, mask) >= 0 else {
            LogIO.close(fd)
            return
        }
        inotifyFD = fd
    }
}
