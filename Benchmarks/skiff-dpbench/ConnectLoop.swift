import Glibc
import NetnsLab
import NodeRuntime

/// New-connection latency and rate to one Service IP: sequential TCP
/// connects from the client namespace, one fresh socket each, closed with
/// an RST (no TIME_WAIT pile-up). The latency is connect()'s: SYN out to
/// SYN-ACK back, the round trip whose first packet walks the proxy's rules.
struct ConnectStats: Codable {
    var target: String
    var count: Int
    var failures: Int
    /// connect() time, µs.
    var micros: Percentiles
    /// Measured connections / wall time of the loop (sockets made and closed included).
    var perSecond: Double
}

enum ConnectLoop {
    struct Broken: Error, CustomStringConvertible {
        var description: String
    }

    /// Connects made to one target before switching to the next: the
    /// targets take turns, so a drift in the machine's load (a build
    /// starting) falls on all of them alike instead of on whichever ran last.
    static let block = 250

    /// Runs the whole loop on one thread inside `namespace` (entered once:
    /// entering it per connect would cost more than the connect), so plain
    /// socket() calls make client sockets. `count` measured connects per
    /// target, after `warmup` each.
    static func run(
        from namespace: NetworkNamespace, to targets: [IPv4Address], port: UInt16, count: Int, warmup: Int
    ) throws -> [ConnectStats] {
        try namespace.perform { () throws -> [ConnectStats] in
            for ip in targets {
                // The path must really reach a pod: a reply names it.
                let probe = request(ip, port, readReply: true)
                guard case .reply(let name, _) = probe, name.hasPrefix("pod") else {
                    throw Broken(description: "\(ip):\(port) does not reach a pod from the client: \(probe)")
                }
                for _ in 0..<warmup { _ = request(ip, port, readReply: false) }
            }
            var samples = Array(repeating: [Double](), count: targets.count)
            var failures = Array(repeating: [String](), count: targets.count)
            var wall = Array(repeating: 0.0, count: targets.count)
            var done = 0
            while done < count {
                let size = min(block, count - done)
                for (t, ip) in targets.enumerated() {
                    let start = ContinuousClock.now
                    for _ in 0..<size {
                        switch request(ip, port, readReply: false) {
                        case .reply(_, let micros): samples[t].append(micros)
                        case let other: failures[t].append("\(other)")
                        }
                    }
                    wall[t] += (ContinuousClock.now - start).seconds
                }
                done += size
            }
            return try targets.indices.map { t throws -> ConnectStats in
                // A dropped SYN now and then is noise (it costs a 1 s
                // retransmit, so it times out); more than 1% is a broken dataplane.
                if failures[t].count * 100 > count {
                    throw Broken(description: "\(failures[t].count) of \(count) connects to \(targets[t]):\(port) failed, e.g. \(failures[t][0])")
                }
                return ConnectStats(
                    target: "\(targets[t]):\(port)", count: samples[t].count, failures: failures[t].count,
                    micros: Percentiles(samples[t]), perSecond: Double(count) / wall[t])
            }
        }
    }

    private static func request(_ ip: IPv4Address, _ port: UInt16, readReply: Bool) -> LabSocket.Outcome {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failed(errno) }
        defer { close(fd) }
        return LabSocket.tcpRequest(fd: fd, to: ip, port: port, timeoutMilliseconds: 1000, readReply: readReply)
    }
}
