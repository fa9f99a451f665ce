import Foundation
import SkiffTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Certificates made with the openssl CLI for one test run: a CA; server certificates it
/// signed, one for 127.0.0.1 and one for other names only; and an unrelated second CA.
struct TestCertificates {
    let directory: URL

    var caPEM: String { get throws { try String(contentsOf: file("ca.crt"), encoding: .utf8) } }
    var otherCAPEM: String { get throws { try String(contentsOf: file("other-ca.crt"), encoding: .utf8) } }

    /// Which server certificate the test server presents.
    enum ServerName: String {
        /// SANs: IP 127.0.0.1, the address the tests dial.
        case loopback = "server"
        /// SANs: DNS server.test, IP 10.9.9.9 — not the address the tests dial.
        case elsewhere = "elsewhere"
    }

    func certificatePath(_ name: ServerName) -> String { file("\(name.rawValue).crt").path }
    func keyPath(_ name: ServerName) -> String { file("\(name.rawValue).key").path }

    func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

    init(directory: URL) throws {
        self.directory = directory
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(
            ["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=test-ca"])
        try openssl(
            ["req", "-x509"] + ec + [
                "-keyout", "other-ca.key", "-out", "other-ca.crt", "-days", "2", "-subj", "/CN=other-ca",
            ])
        try issue(.loopback, names: "IP:127.0.0.1", ec: ec)
        try issue(.elsewhere, names: "DNS:server.test,IP:10.9.9.9", ec: ec)
    }

    private func issue(_ name: ServerName, names: String, ec: [String]) throws {
        let base = name.rawValue
        try openssl(["req"] + ec + ["-keyout", "\(base).key", "-out", "\(base).csr", "-subj", "/CN=\(base)"])
        try "subjectAltName=\(names)\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(to: file("\(base).ext"), atomically: true, encoding: .utf8)
        try openssl([
            "x509", "-req", "-in", "\(base).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "\(base).crt", "-days", "2", "-extfile", "\(base).ext",
        ])
    }

    private func openssl(_ arguments: [String]) throws {
        // ChildProcess, not Process: see SkiffTestSupport.ChildProcess.
        let result = try ChildProcess.run(
            "/bin/sh", ["-c", "cd \"$0\" && exec /usr/bin/openssl \"$@\"", directory.path] + arguments, timeout: .seconds(120))
        guard result.status == 0 else {
            throw TestServerError("openssl \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
    }
}

struct TestServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A real HTTPS server on 127.0.0.1 (Python's `http.server` wrapped in `ssl`), serving:
/// `GET /echo…` the request as JSON; `POST /echo…` the body and content type;
/// `/status404` a Kubernetes Status; `/text404` a plain-text 404; `/stream` one chunk,
/// then the rest after `GET /release`; `/forever` a chunk every 50 ms until the client
/// leaves; `/left` whether a `/forever` client has left (waiting up to 3 s).
final class TestHTTPSServer {
    let certificates: TestCertificates
    let port: Int
    private let process: Process
    private let directory: URL

    static let script = #"""
        import http.server, json, signal, socketserver, ssl, sys, threading, time

        # The test process may block SIGTERM, and children inherit the mask.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
        release = threading.Event()
        left = threading.Event()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, code, body, content_type="application/json"):
                self.send_response(code)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def chunk(self, data):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()

            def start_chunked(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()

            def do_GET(self):
                route = self.path.split("?")[0]
                if route.startswith("/echo"):
                    self.reply(200, json.dumps({
                        "method": "GET", "path": self.path,
                        "authorization": self.headers.get("Authorization"),
                        "userAgent": self.headers.get("User-Agent"),
                        "accept": self.headers.get("Accept"),
                    }).encode())
                elif route == "/status404":
                    self.reply(404, json.dumps({
                        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                        "message": 'pods "web" not found', "reason": "NotFound",
                        "details": {"name": "web", "kind": "pods"}, "code": 404,
                    }).encode())
                elif route == "/text404":
                    self.reply(404, b"404 page not found\n", "text/plain; charset=utf-8")
                elif route == "/stream":
                    self.start_chunked()
                    self.chunk(b'{"type":"ADDED"}\n')
                    release.wait(30)
                    self.chunk(b'{"type":"MODIFIED"}\n')
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                elif route == "/release":
                    release.set()
                    self.reply(200, b"{}")
                elif route == "/forever":
                    self.start_chunked()
                    try:
                        while True:
                            self.chunk(b'{"type":"BOOKMARK"}\n')
                            time.sleep(0.05)
                    except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                        left.set()
                elif route == "/left":
                    self.reply(200, json.dumps({"left": left.wait(3)}).encode())
                else:
                    self.reply(500, b"unexpected path", "text/plain")

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                self.reply(201, json.dumps({
                    "method": "POST", "path": self.path,
                    "contentType": self.headers.get("Content-Type"), "body": body.decode(),
                }).encode())

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        server = Server(("127.0.0.1", 0), Handler)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    init(presenting name: TestCertificates.ServerName = .loopback) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "skiff-client-test-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificates = try TestCertificates(directory: directory)
        let scriptURL = directory.appendingPathComponent("server.py")
        try Self.script.write(to: scriptURL, atomically: true, encoding: .utf8)

        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [scriptURL.path, certificates.certificatePath(name), certificates.keyPath(name)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            line.append(data)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            kill(process.processIdentifier, SIGKILL)
            throw TestServerError("the test server did not report its port")
        }
        self.port = port
    }

    var url: String { "https://127.0.0.1:\(port)" }

    deinit {
        // SIGKILL: a blocked SIGTERM (inherited from the test process) must not leave
        // the server running and this wait hanging.
        // Not waited for: Foundation reaps it, and a wait here would hold a pool thread.
        kill(process.processIdentifier, SIGKILL)
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Whether the tools the HTTPS tests need are installed.
let httpsToolsAvailable =
    FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
