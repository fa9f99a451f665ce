import Foundation
import Glibc
@testable import NodeRuntime

/// python3's http.server inside a probe test namespace on 127.0.0.1:8080, with
/// paths for each behaviour a probe must judge, plus a listener on 8081 that
/// reads the request and closes the connection without answering. Every
/// request's path and headers are appended to a log as JSON lines. `stop()` kills it.
final class ProbeTestHTTPServer {
    static let port = 8080
    static let closingPort = 8081

    let logPath: String
    private let process = Process()
    private let directory: String

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") }

    init(in namespace: ProbeTestNamespace) async throws {
        guard let ip = NetlinkTestNamespace.ipPath else { throw TestFailure("iproute2 (ip) is not installed") }
        directory = NSTemporaryDirectory() + "skiff-probe-server-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        logPath = directory + "/requests.jsonl"
        let script = directory + "/server.py"
        try Self.script.write(toFile: script, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: ip)
        process.arguments = ["netns", "exec", namespace.name, "/usr/bin/python3", script, String(Self.port), logPath]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready once the namespace accepts connections on both ports.
        let dialer = ProbeDialer()
        for _ in 0..<100 {
            let http = await dialer.tcpCheck(netnsPath: namespace.path, host: "127.0.0.1", port: Self.port, timeout: .seconds(1))
            let closing = await dialer.tcpCheck(netnsPath: namespace.path, host: "127.0.0.1", port: Self.closingPort, timeout: .seconds(1))
            if http.isSuccess && closing.isSuccess { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        stop()
        throw TestFailure("the probe test HTTP server did not start")
    }

    /// SIGKILL to the process this test started (SIGTERM may arrive blocked: the
    /// child inherits the signal mask of the thread that spawned it), then a
    /// bounded wait instead of waitUntilExit, which spins on Linux.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            for _ in 0..<200 where process.isRunning { usleep(10_000) }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The logged requests: path and headers (name, value) in arrival order.
    func requests() throws -> [(path: String, headers: [(String, String)])] {
        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let path = object["path"] as? String, let headers = object["headers"] as? [[String]]
            else { throw TestFailure("bad log line \(line)") }
            return (path, headers.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil })
        }
    }

    private static let script = #"""
    import http.server, json, socket, sys, threading, time

    port, log = int(sys.argv[1]), sys.argv[2]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            with open(log, "a") as f:
                f.write(json.dumps({"path": self.path, "headers": [[k, v] for k, v in self.headers.items()]}) + "\n")
            path = self.path
            if path.startswith("/fail"):
                return self.reply(500, b"the body must not show up in the message")
            if path.startswith("/slow"):
                time.sleep(3)
                return self.reply(200, b"late")
            if path.startswith("/redirect"):
                return self.reply(302, b"moved", [("Location", "/healthz")])
            if path.startswith("/big"):
                return self.reply(200, b"x" * (1 << 20))
            if path.startswith("/chunked"):
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.write(b"5\r\nhello\r\n0\r\n\r\n")
                return
            if path.startswith("/stall-body"):
                self.send_response(200)
                self.send_header("Content-Length", "100")
                self.end_headers()
                self.wfile.write(b"partial")
                self.wfile.flush()
                time.sleep(3)
                return
            self.reply(200, b"ok")

        def reply(self, code, body, headers=()):
            self.send_response(code)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    closing = socket.socket()
    closing.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    closing.bind(("127.0.0.1", port + 1))
    closing.listen(16)

    def close_all():
        while True:
            connection, _ = closing.accept()
            # Read the request first: closing with unread bytes sends a reset, not EOF.
            connection.settimeout(2)
            try:
                connection.recv(65536)
            except OSError:
                pass
            connection.close()

    threading.Thread(target=close_all, daemon=True).start()
    Server(("127.0.0.1", port), Handler).serve_forever()
    """#
}
