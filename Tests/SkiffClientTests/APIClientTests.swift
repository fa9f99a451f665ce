import Foundation
import SkiffTestSupport
import SkiffAPI
import SkiffClient
import Testing

@Suite("APIClient against a real HTTPS server", .enabled(if: httpsToolsAvailable))
struct APIClientTests {
    private func client(_ server: TestHTTPSServer, token: String? = "s3cret") throws -> APIClient {
        try APIClient(
            settings: ConnectionSettings(server: server.url, caPEM: try server.certificates.caPEM, token: token))
    }

    @Test("every request carries the bearer token, the user agent and Accept; the query keeps its order")
    func tokenAndHeadersArrive() async throws {
        let server = try TestHTTPSServer()
        let api = try client(server)
        let response = try await api.send(
            "GET", "/echo", query: [("labelSelector", "app in (a,b)"), ("watch", "1"), ("watch", "0")],
            accept: "application/json;as=Table;v=v1;g=meta.k8s.io")
        await api.shutdown()
        #expect(response.status == 200)
        let echo = try JSONValue(jsonBytes: response.body)
        #expect(echo["authorization"] == "Bearer s3cret")
        #expect(echo["userAgent"].stringValue?.hasPrefix("skiff/\(APIClient.version) (") == true)
        #expect(echo["accept"] == "application/json;as=Table;v=v1;g=meta.k8s.io")
        #expect(echo["path"] == "/echo?labelSelector=app+in+%28a%2Cb%29&watch=1&watch=0")
        #expect(response.headers.contains { $0.0.lowercased() == "content-type" && $0.1 == "application/json" })
    }

    @Test("without a token no Authorization header is sent")
    func noToken() async throws {
        let server = try TestHTTPSServer()
        let api = try client(server, token: nil)
        let response = try await api.send("GET", "/echo")
        await api.shutdown()
        #expect(try JSONValue(jsonBytes: response.body)["authorization"] == .null)
    }

    @Test("a body is sent with its content type")
    func postBody() async throws {
        let server = try TestHTTPSServer()
        let api = try client(server)
        let response = try await api.send(
            "POST", "/echo/pods", body: Array(#"{"kind":"Pod"}"#.utf8), contentType: "application/yaml")
        await api.shutdown()
        #expect(response.status == 201)
        let echo = try JSONValue(jsonBytes: response.body)
        #expect(echo["contentType"] == "application/yaml")
        #expect(echo["body"] == #"{"kind":"Pod"}"#)
    }

    @Test("an error reply's Status is decoded; a non-Status 404 gets client-go's message")
    func statusErrors() async throws {
        let server = try TestHTTPSServer()
        let api = try client(server)
        let status = try await api.send("GET", "/status404")
        let text = try await api.send("GET", "/text404")
        let success = try await api.send("GET", "/echo")
        await api.shutdown()
        #expect(status.statusError?.reason == .notFound)
        #expect(status.statusError?.message == #"pods "web" not found"#)
        #expect(status.statusError?.details?.name == "web")
        #expect(text.statusError?.code == 404)
        #expect(text.statusError?.message == "the server could not find the requested resource")
        #expect(success.statusError == nil)
    }

    @Test("a server whose certificate another CA signed is refused with a TLS error")
    func wrongCA() async throws {
        let server = try TestHTTPSServer()
        let api = try APIClient(
            settings: ConnectionSettings(server: server.url, caPEM: try server.certificates.otherCAPEM, token: "t"))
        let error = await #expect(throws: ClientError.self) { try await api.send("GET", "/echo") }
        await api.shutdown()
        #expect(error?.kind == .tls)
        #expect(
            error?.message.hasPrefix(
                "Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority"
            ) == true, "\(String(describing: error))")
    }

    @Test("a certificate from the right CA but for other names is refused (SANs are checked, not just the CA)")
    func wrongHostname() async throws {
        let server = try TestHTTPSServer(presenting: .elsewhere)
        let api = try client(server)
        let error = await #expect(throws: ClientError.self) { try await api.send("GET", "/echo") }
        await api.shutdown()
        #expect(error?.kind == .tls, "\(String(describing: error))")
        #expect(
            error?.message == "Unable to connect to the server: tls: failed to verify certificate: x509: "
                + "certificate is not valid for 127.0.0.1", "\(String(describing: error))")
    }

    @Test("insecure-skip-tls-verify accepts any certificate")
    func insecureSkipVerify() async throws {
        let server = try TestHTTPSServer()
        let api = try APIClient(
            settings: ConnectionSettings(server: server.url, insecureSkipTLSVerify: true, token: "t"))
        let response = try await api.send("GET", "/echo")
        await api.shutdown()
        #expect(response.status == 200)
    }

    // Not timed (tests check behaviour, not speed): the client is configured not to
    // retry connection establishment, and the error kind shows the refusal came through.
    @Test("nothing listening gives kubectl's connection-refused message")
    func connectionRefused() async throws {
        let port = try closedPort()
        let api = try APIClient(settings: ConnectionSettings(server: "https://127.0.0.1:\(port)", token: "t"))
        let error = await #expect(throws: ClientError.self) { try await api.send("GET", "/api") }
        await api.shutdown()
        #expect(error?.kind == .connectionRefused, "\(String(describing: error))")
        #expect(
            error?.message
                == "The connection to the server 127.0.0.1:\(port) was refused - did you specify the right host or port?"
        )
    }

    @Test("a stream delivers each chunk as it arrives, before the response ends")
    func streamDeliversChunksEarly() async throws {
        let server = try TestHTTPSServer()
        let api = try client(server)
        let (status, headers, body) = try await api.stream(
            "/stream", query: [("watch", "1")], accept: "application/json")
        #expect(status == 200)
        #expect(headers.contains { $0.0.lowercased() == "transfer-encoding" })
        var iterator = body.makeAsyncIterator()
        // The server holds the rest of the response until /release: this chunk can only
        // arrive if it is delivered before the end.
        let first = try await iterator.next()
        #expect(first.map { String(decoding: $0, as: UTF8.self) } == "{\"type\":\"ADDED\"}\n")
        _ = try await api.send("GET", "/release")
        var rest: [UInt8] = []
        while let chunk = try await iterator.next() { rest += chunk }
        #expect(String(decoding: rest, as: UTF8.self) == "{\"type\":\"MODIFIED\"}\n")
        await api.shutdown()
    }

    @Test("cancelling the consuming task ends an endless stream promptly and closes its connection")
    func streamCancellation() async throws {
        let server = try TestHTTPSServer()
        let api = try client(server)
        let (_, _, body) = try await api.stream("/forever", query: [], accept: "application/json")
        let consumer = Task {
            var chunks = 0
            for try await _ in body { chunks += 1 }
            return chunks
        }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        consumer.cancel()
        let chunks = try await consumer.value
        #expect(chunks > 0)
        // Loose: a loaded 2-core machine is slow; a stream that never ends would hang here instead.
        #expect(ContinuousClock.now - started < .seconds(20))
        // The connection was closed, not left streaming into a buffer nobody reads.
        let left = try await api.send("GET", "/left")
        #expect(try JSONValue(jsonBytes: left.body)["left"] == true)
        // The client is still usable for other requests afterwards.
        #expect(try await api.send("GET", "/echo").status == 200)
        await api.shutdown()
    }

    @Test("a server URL that is not a URL is rejected before any request")
    func invalidServer() throws {
        #expect(throws: ClientError.self) { try APIClient(settings: ConnectionSettings(server: "https://")) }
        let error = #expect(throws: ClientError.self) {
            try APIClient(settings: ConnectionSettings(server: "https://127.0.0.1:6443", caPEM: "not pem"))
        }
        #expect(error?.kind == .kubeconfig)
    }
}

/// A local TCP port with nothing listening: bound, then closed.
private func closedPort() throws -> Int {
    let result = try ChildProcess.run(
        "/usr/bin/python3",
        ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1]); s.close()"],
        timeout: .seconds(60))
    guard let port = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
        throw TestServerError("could not find a free port")
    }
    return port
}
