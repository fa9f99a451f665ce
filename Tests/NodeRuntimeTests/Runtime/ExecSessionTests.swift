import Foundation
import Glibc
import Testing
@testable import NodeRuntime

/// Streaming exec (what `kubectl exec` and `skiff exec` ride on): stdin, a
/// terminal, and the exit code.
@Suite struct ExecSessionTests {
    @Test func stdinIsStreamedAndTheExitCodeReturned() async throws {
        let node = try TestNode()
        let pod = try await node.sandbox()
        let id = try await node.runtime.createContainer(
            podID: pod, config: ContainerConfig(name: "idle", image: "busybox", command: ["sleep", "1000"]))
        try await node.runtime.startContainer(id)
        let session = try await node.runtime.exec(id, command: ["sh", "-c", "cat; exit 4"], terminal: false, stdin: true)
        let input = Array("hello through stdin\n".utf8)
        #expect(write(session.stdin, input, input.count) == input.count)
        close(session.stdin)
        let output = readAll(session.stdout)
        close(session.stdout)
        close(session.stderr)
        #expect(output == "hello through stdin\n")
        #expect(session.wait() == 4)
        let leftovers = await node.tearDown()
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func aTerminalSessionIsInteractive() async throws {
        let node = try TestNode()
        let pod = try await node.sandbox()
        let id = try await node.runtime.createContainer(
            podID: pod, config: ContainerConfig(name: "idle", image: "busybox", command: ["sleep", "1000"]))
        try await node.runtime.startContainer(id)
        let session = try await node.runtime.exec(
            id, command: ["sh", "-c", "[ -t 0 ] && [ -t 1 ] && echo interactive TERM=$TERM"], terminal: true, stdin: true)
        #expect(session.terminal && session.stdin == -1 && session.stderr == -1)
        let output = readAll(session.stdout)
        close(session.stdout)
        #expect(output.contains("interactive TERM=xterm"), "\(output)")
        #expect(session.wait() == 0)
        let leftovers = await node.tearDown()
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    /// Reads until EOF (pipe) or EIO (pty master after the slave side closed).
    private func readAll(_ fd: Int32) -> String {
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
