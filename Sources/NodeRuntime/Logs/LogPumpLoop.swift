import Glibc

/// The body of the pump hub's thread: one `poll(2)` over every container's
/// pipes plus the mailbox's wake pipe.
///
/// One thread for the whole node keeps the cost of hundreds of mostly idle
/// containers at one blocked syscall. `poll` is level-triggered, so reading a
/// bounded amount per wakeup is safe: anything left makes the next `poll` return
/// at once, after the other containers have had their turn.
final class LogPumpLoop {
    /// Reads per ready pipe per wakeup (64 KiB each).
    private static let readsPerWakeup = 4

    private let mailbox: LogPumpMailbox
    private var pumps: [String: ContainerLogPump] = [:]
    private var pollSet: [pollfd] = []
    private var pollOwners: [(pump: ContainerLogPump, source: Int)] = []
    private var pollSetIsStale = true
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    private var shuttingDown = false

    init(mailbox: LogPumpMailbox) {
        self.mailbox = mailbox
    }

    func run() {
        while !shuttingDown {
            if pollSetIsStale { rebuildPollSet() }
            let ready = poll(&pollSet, nfds_t(pollSet.count), -1)
            if ready < 0 {
                // Only EINTR is expected; anything else (ENOMEM) is retried gently.
                if errno != EINTR { usleep(10_000) }
                continue
            }
            for slot in pollSet.indices.dropFirst() where pollSet[slot].revents != 0 {
                let owner = pollOwners[slot - 1]
                owner.pump.pump(source: owner.source, buffer: &buffer, maxReads: Self.readsPerWakeup)
                finishIfDrained(owner.pump)
            }
            if pollSet[0].revents != 0 {
                mailbox.wake.drain()
                for command in mailbox.take() { handle(command) }
            }
        }
        for command in mailbox.close() { handle(command) }
        for pump in pumps.values { _ = pump.stop(buffer: &buffer) }
        pumps.removeAll()
        mailbox.wake.close()
        for waiter in shutdownWaiters { waiter.resume() }
    }

    private func handle(_ command: LogPumpMailbox.Command) {
        switch command {
        case .register(let registration, let continuation):
            guard !shuttingDown else {
                Self.closeDescriptors(of: registration)
                continuation.resume(throwing: RuntimeError("log pump hub has shut down"))
                return
            }
            guard pumps[registration.containerID] == nil else {
                Self.closeDescriptors(of: registration)
                continuation.resume(
                    throwing: RuntimeError("log pump for container \(registration.containerID) is already running"))
                return
            }
            let pump: ContainerLogPump
            do {
                pump = try ContainerLogPump(registration)
            } catch {
                continuation.resume(throwing: error)
                return
            }
            // No read here: a FIFO whose container end is not open yet reads as end
            // of file, yet poll stays quiet until a writer has come and gone.
            pumps[registration.containerID] = pump
            pollSetIsStale = true
            continuation.resume()
        case .stop(let containerID, let continuation):
            guard let pump = pumps.removeValue(forKey: containerID) else {
                continuation.resume(returning: nil)
                return
            }
            pollSetIsStale = true
            continuation.resume(returning: pump.stop(buffer: &buffer))
        case .reopen(let containerID, let continuation):
            guard let pump = pumps[containerID] else {
                continuation.resume(throwing: RuntimeError("no log pump for container \(containerID)"))
                return
            }
            continuation.resume(with: Result { try pump.reopenLog() })
        case .shutdown(let continuation):
            shuttingDown = true
            if let continuation { shutdownWaiters.append(continuation) }
        }
    }

    private func finishIfDrained(_ pump: ContainerLogPump) {
        guard pump.reachedEndOfStream else { return }
        pollSetIsStale = true
        guard pumps[pump.containerID] === pump else { return }
        pumps.removeValue(forKey: pump.containerID)
        pump.finish(.endOfStream)
    }

    private func rebuildPollSet() {
        pollSet = [pollfd(fd: mailbox.wake.readFD, events: Int16(POLLIN), revents: 0)]
        pollOwners = []
        for pump in pumps.values {
            for source in pump.openSources {
                pollSet.append(pollfd(fd: source.fd, events: Int16(POLLIN), revents: 0))
                pollOwners.append((pump, source.index))
            }
        }
        pollSetIsStale = false
    }

    private static func closeDescriptors(of registration: LogPumpRegistration) {
        for source in registration.sources {
            if case .descriptor(let fd) = source.endpoint { LogIO.close(fd) }
        }
    }
}
