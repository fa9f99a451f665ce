import Glibc
import NodeRuntime

/// The first successful HTTP response from a pod: `GET /` on a new connection,
/// again every millisecond until one answers 200. Blocking sockets on a thread
/// of the node's network namespace (where pod IPs are routed), never on the
/// cooperative pool.
struct HTTPProbe: Sendable {
    let namespace: NetworkNamespace?
    let port: UInt16

    enum Outcome: Sendable {
        /// Wall-clock nanoseconds at which the 200 arrived, and the attempts it took.
        case ok(at: UInt64, attempts: Int)
        case failed(String)
    }

    func firstSuccess(ip: String, timeoutSeconds: Double) async -> Outcome {
        let port = self.port
        let namespace = self.namespace
        let deadline = WallClock.nanoseconds() + UInt64(timeoutSeconds * 1e9)
        do {
            return try await Blocking.run {
                if let namespace { return try namespace.perform { Self.poll(ip: ip, port: port, until: deadline) } }
                return Self.poll(ip: ip, port: port, until: deadline)
            }
        } catch {
            return .failed("\(error)")
        }
    }

    private static func poll(ip: String, port: UInt16, until deadline: UInt64) -> Outcome {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, ip, &address.sin_addr) == 1 else { return .failed("not an IPv4 address: \(ip)") }
        var attempts = 0
        var last = "no attempt"
        while true {
            attempts += 1
            switch once(address) {
            case .success(let status) where status == 200: return .ok(at: WallClock.nanoseconds(), attempts: attempts)
            case .success(let status): last = "HTTP \(status)"
            case .failure(let problem): last = problem.description
            }
            if WallClock.nanoseconds() >= deadline { return .failed("no HTTP 200 from \(ip):\(port): \(last)") }
            usleep(1000)
        }
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// One request; the status code of the answer.
    private static func once(_ address: sockaddr_in) -> Result<Int, Problem> {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(Problem(description: "socket: errno \(errno)")) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var target = address
        let connected = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return .failure(Problem(description: "connect: errno \(errno)")) }
        let request = Array("GET / HTTP/1.0\r\nHost: pod\r\n\r\n".utf8)
        guard send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else {
            return .failure(Problem(description: "send: errno \(errno)"))
        }
        // The status line is all we need: "HTTP/1.x NNN ...".
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while head.count < 12 {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return .failure(Problem(description: n == 0 ? "closed before a status line" : "recv: errno \(errno)")) }
            head += buffer[0..<n]
        }
        let line = String(decoding: head.prefix(12), as: UTF8.self)
        guard line.hasPrefix("HTTP/"), let status = Int(line.dropFirst(9).prefix(3)) else {
            return .failure(Problem(description: "not an HTTP status line: \(line)"))
        }
        return .success(status)
    }
}
