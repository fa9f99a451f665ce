import Glibc

/// One non-blocking TCP connection of a probe, opened inside the target
/// network namespace: the socket is created on a thread that entered the
/// namespace (`NetworkNamespace.perform`) and belongs to it for its life, so
/// connecting, sending and receiving happen from the calling thread.
///
/// Blocking (poll), used from one `Blocking.run` closure; every wait is
/// bounded by the probe's deadline. Errors come back in Go's net wording.
final class ProbeConnection {
    let fd: Int32
    let address: ProbeAddress

    private init(fd: Int32, address: ProbeAddress) {
        self.fd = fd
        self.address = address
    }

    deinit {
        close(fd)
    }

    /// Resolves `host`, creates the socket in `namespace` (nil: the daemon's own)
    /// and connects before `deadline`.
    static func open(namespace: NetworkNamespace?, host: String, port: Int, deadline: ProbeDeadline) throws -> ProbeConnection {
        let inNamespace: @Sendable () throws -> (Int32, ProbeAddress) = {
            let address = try ProbeAddress.resolve(host, port: port).get()
            let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                throw ProbeFailureText("dial tcp \(address.hostPort): socket: \(goErrorText(errno))")
            }
            return (fd, address)
        }
        let (fd, address): (Int32, ProbeAddress)
        if let namespace {
            do {
                (fd, address) = try namespace.perform(inNamespace)
            } catch let error as SystemError {
                throw ProbeFailureText("dial tcp \(ProbeAddress.join(host, port)): \(error)")
            }
        } else {
            (fd, address) = try inNamespace()
        }
        let connection = ProbeConnection(fd: fd, address: address)
        try connection.connect(deadline: deadline)
        return connection
    }

    private func connect(deadline: ProbeDeadline) throws {
        let rc = address.storage.withUnsafeBytes { raw in
            raw.withMemoryRebound(to: sockaddr.self) { Glibc.connect(fd, $0.baseAddress, socklen_t(raw.count)) }
        }
        if rc == 0 { return }
        guard errno == EINPROGRESS || errno == EINTR else { throw dialError(errno) }
        guard try wait(for: Int16(POLLOUT), deadline: deadline) else {
            throw ProbeIOError.timedOut(operation: "dial tcp \(address.hostPort)")
        }
        var status: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &status, &length) == 0 else { throw dialError(errno) }
        if status != 0 { throw dialError(status) }
    }

    /// Sends all of `bytes`; MSG_NOSIGNAL so a closed peer is EPIPE, not SIGPIPE.
    func send(_ bytes: [UInt8], deadline: ProbeDeadline) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count >= 0 {
                offset += count
                continue
            }
            switch errno {
            case EINTR: continue
            case EAGAIN:
                guard try wait(for: Int16(POLLOUT), deadline: deadline) else { throw ProbeIOError.timedOut(operation: "write") }
            default:
                throw ProbeIOError.failed("write tcp \(endpoints): write: \(goErrorText(errno))")
            }
        }
    }

    /// Up to `limit` bytes as soon as some arrive; empty at end of stream.
    func receive(limit: Int, deadline: ProbeDeadline) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max(1, limit))
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count >= 0 { return Array(buffer[0..<count]) }
            switch errno {
            case EINTR: continue
            case EAGAIN:
                guard try wait(for: Int16(POLLIN), deadline: deadline) else { throw ProbeIOError.timedOut(operation: "read") }
            default:
                throw ProbeIOError.failed("read tcp \(endpoints): read: \(goErrorText(errno))")
            }
        }
    }

    /// Polls for `events` until the deadline. - Returns: false on timeout.
    private func wait(for events: Int16, deadline: ProbeDeadline) throws -> Bool {
        while true {
            let remaining = deadline.remainingMilliseconds
            if remaining == 0 { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let rc = poll(&entry, 1, remaining)
            if rc > 0 { return true } // readiness or an error; the next call reports which
            if rc == 0 { continue }   // re-check the clock: poll may round down
            if errno != EINTR { throw ProbeIOError.failed("poll: \(goErrorText(errno))") }
        }
    }

    private func dialError(_ code: Int32) -> ProbeIOError {
        .failed("dial tcp \(address.hostPort): connect: \(goErrorText(code))")
    }

    /// `10.42.0.1:40312->10.42.0.5:8080`, as Go names a connection in errors.
    private var endpoints: String {
        ProbeAddress.describe(socket: fd, peer: false) + "->" + ProbeAddress.describe(socket: fd, peer: true)
    }
}

/// Why a probe's I/O stopped.
enum ProbeIOError: Error {
    /// The deadline passed during `operation` (`dial tcp 10.42.0.5:8080`, `read`, `write`).
    case timedOut(operation: String)
    /// A failure, already worded as Go's net package words it.
    case failed(String)
}

/// An errno as Go's syscall package spells it: the C text with a lowercase
/// first letter (`connection refused`, `no route to host`).
func goErrorText(_ code: Int32) -> String {
    let text = String(cString: strerror(code))
    guard let first = text.first else { return "errno \(code)" }
    return first.lowercased() + text.dropFirst()
}
