import Glibc

/// A probe target resolved to a socket address, with the `host:port` spelling
/// Go's net.JoinHostPort gives it (`[fd00::5]:8080` for IPv6), which appears in
/// the kubelet's messages.
struct ProbeAddress {
    let family: Int32
    /// sockaddr_in or sockaddr_in6 bytes.
    let storage: [UInt8]
    let hostPort: String

    /// A numeric IPv4 or IPv6 address; nil for a name (see `resolve`).
    init?(numeric host: String, port: Int) {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        hostPort = Self.join(bare, port)
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET, bare, &v4.sin_addr) == 1 {
            family = AF_INET
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            storage = withUnsafeBytes(of: v4) { Array($0) }
        } else if inet_pton(AF_INET6, bare, &v6.sin6_addr) == 1 {
            family = AF_INET6
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            storage = withUnsafeBytes(of: v6) { Array($0) }
        } else {
            return nil
        }
    }

    private init(family: Int32, storage: [UInt8], hostPort: String) {
        self.family = family
        self.storage = storage
        self.hostPort = hostPort
    }

    /// Resolves a name with the node's resolver (getaddrinfo), first address
    /// first as Go's dialer tries it. Call it inside the probe's network
    /// namespace: the DNS query leaves from there.
    /// - Returns: the address, or Go's `dial tcp: lookup <host>: no such host`.
    static func resolve(_ host: String, port: Int) -> Result<ProbeAddress, ProbeFailureText> {
        if let numeric = ProbeAddress(numeric: host, port: port) { return .success(numeric) }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        defer { if let list { freeaddrinfo(list) } }
        guard rc == 0, let first = list, let address = first.pointee.ai_addr else {
            return .failure(ProbeFailureText("dial tcp: lookup \(host): no such host"))
        }
        let bytes = Array(UnsafeRawBufferPointer(start: address, count: Int(first.pointee.ai_addrlen)))
        return .success(ProbeAddress(family: first.pointee.ai_family, storage: bytes, hostPort: join(host, port)))
    }

    /// Go's net.JoinHostPort: brackets around hosts containing a colon.
    static func join(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// `ip:port` of a connected socket's local (or peer) end, for Go-style read/write errors.
    static func describe(socket fd: Int32, peer: Bool) -> String {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                peer ? getpeername(fd, $0, &length) : getsockname(fd, $0, &length)
            }
        }
        guard rc == 0 else { return "?" }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        // inet_ntop writes a NUL-terminated string; only what comes before the NUL is text.
        func decoded() -> String { String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        let family = Int32(storage.ss_family)
        return withUnsafePointer(to: storage) { pointer in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                    var address = v6.pointee.sin6_addr
                    inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
                    return join(decoded(), Int(UInt16(bigEndian: v6.pointee.sin6_port)))
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                var address = v4.pointee.sin_addr
                inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
                return join(decoded(), Int(UInt16(bigEndian: v4.pointee.sin_port)))
            }
        }
    }
}
