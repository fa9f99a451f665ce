import Foundation
import Glibc
import NodeRuntime

/// A TCP and a UDP server in a pod's namespace answering every connection
/// or datagram with the pod's name, so a client can tell which endpoint a
/// Service sent it to. Runs on two plain threads until `stop()`.
package final class LabServer: @unchecked Sendable {
    package let name: String
    private let tcp: Int32
    private let udp: Int32
    private let threads = DispatchGroup()

    package init(name: String, namespace: NetworkNamespace, port: UInt16) throws {
        self.name = name
        tcp = try LabSocket.make(in: namespace, type: Int32(SOCK_STREAM.rawValue))
        udp = try LabSocket.make(in: namespace, type: Int32(SOCK_DGRAM.rawValue))
        var one: Int32 = 1
        setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        for fd in [tcp, udp] {
            var addr = LabSocket.address(IPv4Address(0), port)
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard rc == 0 else { throw LabCommand.Failure(description: "bind \(name):\(port): errno \(errno)") }
        }
        guard listen(tcp, 4096) == 0 else { throw LabCommand.Failure(description: "listen: errno \(errno)") }
        let reply = Array((name + "\n").utf8)
        let tcpFD = tcp, udpFD = udp
        threads.enter()
        Thread.detachNewThread { [threads] in
            while true {
                let client = accept(tcpFD, nil, nil)
                if client < 0 {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    break
                }
                _ = reply.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                close(client)
            }
            threads.leave()
        }
        threads.enter()
        Thread.detachNewThread { [threads] in
            var buffer = [UInt8](repeating: 0, count: 256)
            var peer = sockaddr_storage()
            while true {
                var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let n = withUnsafeMutablePointer(to: &peer) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(udpFD, &buffer, buffer.count, 0, $0, &length) }
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    break
                }
                if n == 0 { break }
                _ = withUnsafePointer(to: &peer) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(udpFD, reply, reply.count, 0, $0, length) }
                }
            }
            threads.leave()
        }
    }

    /// Wakes both threads (shutdown makes accept/recvfrom return) and waits.
    package func stop() {
        shutdown(tcp, Int32(SHUT_RDWR))
        shutdown(udp, Int32(SHUT_RDWR))
        _ = threads.wait(timeout: .now() + 5)
        close(tcp)
        close(udp)
    }
}
