import Foundation
import Glibc
import NodeRuntime

/// Sockets made inside a lab namespace. A socket belongs to the netns it was
/// created in for its whole life, so it is created on a thread that entered
/// the namespace and then used from any thread.
package enum LabSocket {
    package enum Outcome: Equatable, Sendable {
        /// The reply (the server's name), and how long connect() took.
        case reply(String, microseconds: Double)
        case refused
        case unreachable
        case timedOut
        case failed(Int32)
    }

    package static func make(in namespace: NetworkNamespace, type: Int32) throws -> Int32 {
        try namespace.perform {
            let fd = socket(AF_INET, type | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw LabCommand.Failure(description: "socket: errno \(errno)") }
            return fd
        }
    }

    static func address(_ ip: IPv4Address, _ port: UInt16) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = ip.value.bigEndian
        return addr
    }

    /// Connects over TCP from `namespace`, reads the server's one-line reply.
    package static func tcpRequest(from namespace: NetworkNamespace, to ip: IPv4Address, port: UInt16, timeoutMilliseconds: Int32 = 2000) -> Outcome {
        guard let fd = try? make(in: namespace, type: Int32(SOCK_STREAM.rawValue)) else { return .failed(EMFILE) }
        defer { close(fd) }
        return tcpRequest(fd: fd, to: ip, port: port, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// The same over a socket already made in the client's namespace.
    package static func tcpRequest(fd: Int32, to ip: IPv4Address, port: UInt16, timeoutMilliseconds: Int32 = 2000, readReply: Bool = true) -> Outcome {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        var addr = address(ip, port)
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 && errno != EINPROGRESS { return outcome(errno) }
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&pfd, 1, timeoutMilliseconds) == 1 else { return .timedOut }
        var soError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
        if soError != 0 { return outcome(soError) }
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &end)
        let micros = Double(end.tv_sec - start.tv_sec) * 1e6 + Double(end.tv_nsec - start.tv_nsec) / 1e3
        guard readReply else { return .reply("", microseconds: micros) }
        return .reply(readLine(fd, timeoutMilliseconds: timeoutMilliseconds) ?? "", microseconds: micros)
    }

    /// Sends one datagram from `fd` (made in the client's namespace) and
    /// waits for the reply.
    package static func udpRequest(fd: Int32, to ip: IPv4Address, port: UInt16, timeoutMilliseconds: Int32 = 1000) -> Outcome {
        var addr = address(ip, port)
        let sent = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, "ping", 4, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if sent < 0 { return outcome(errno) }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, timeoutMilliseconds) == 1 else { return .timedOut }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = recv(fd, &buffer, buffer.count, 0)
        if n < 0 { return outcome(errno) }
        return .reply(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), microseconds: 0)
    }

    private static func readLine(_ fd: Int32, timeoutMilliseconds: Int32) -> String? {
        var collected: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 128)
        while true {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, timeoutMilliseconds) == 1 else { return nil }
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            collected += buffer[0..<n]
            if collected.contains(UInt8(ascii: "\n")) { break }
        }
        return String(decoding: collected, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func outcome(_ error: Int32) -> Outcome {
        switch error {
        case ECONNREFUSED: .refused
        case EHOSTUNREACH, ENETUNREACH: .unreachable
        case ETIMEDOUT: .timedOut
        default: .failed(error)
        }
    }
}
