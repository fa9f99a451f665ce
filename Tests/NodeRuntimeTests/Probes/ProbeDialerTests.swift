import Foundation
import Glibc
import Testing
@testable import NodeRuntime

/// TCP and HTTP probes against listeners inside a namespace the test creates:
/// the probe must dial from there (the addresses mean nothing outside).
@Suite(.serialized, .enabled(if: ProbeTestNamespace.isAvailable && ProbeTestHTTPServer.isAvailable, "needs root, iproute2 and python3"))
struct ProbeDialerTests {
    let dialer = ProbeDialer()

    @Test func tcpConnectsInsideTheNamespaceOnly() async throws {
        let namespace = try ProbeTestNamespace.create()
        defer { namespace.remove() }
        let port = try #require((0..<50).lazy.map { _ in UInt16.random(in: 20000...60000) }.first(where: hostPortIsFree))
        let listener = try namespace.listen(port: port)
        defer { close(listener) }

        #expect(await dialer.tcpCheck(netnsPath: namespace.path, host: "127.0.0.1", port: Int(port), timeout: .seconds(1)) == .success)
        // From the daemon's own namespace the same address has no listener.
        #expect(await dialer.tcpCheck(netnsPath: nil, host: "127.0.0.1", port: Int(port), timeout: .seconds(1))
            == .failure("dial tcp 127.0.0.1:\(port): connect: connection refused"))
    }

    @Test func tcpFailuresUseGoWording() async throws {
        let namespace = try ProbeTestNamespace.create()
        defer { namespace.remove() }
        #expect(await dialer.tcpCheck(netnsPath: namespace.path, host: "127.0.0.1", port: 9, timeout: .seconds(1))
            == .failure("dial tcp 127.0.0.1:9: connect: connection refused"))

        let start = ContinuousClock.now
        let outcome = await dialer.tcpCheck(
            netnsPath: namespace.path, host: ProbeTestNamespace.blackhole, port: 80, timeout: .milliseconds(300))
        let elapsed = ContinuousClock.now - start
        #expect(outcome == .failure("dial tcp 10.254.0.2:80: i/o timeout"))
        // It waited out its timeout and then gave up (the bound is loose: a loaded machine is slow).
        #expect(elapsed >= .milliseconds(290) && elapsed < .seconds(15), "\(elapsed)")

        #expect(await dialer.tcpCheck(netnsPath: namespace.path, host: "127.0.0.1", port: 70000, timeout: .seconds(1))
            == .failure("invalid port number: 70000"))
        let missing = await dialer.tcpCheck(netnsPath: "/run/netns/skiff-no-such-ns", host: "127.0.0.1", port: 80, timeout: .seconds(1))
        #expect(missing == .failure("probe from netns /run/netns/skiff-no-such-ns: open netns /run/netns/skiff-no-such-ns: ENOENT (No such file or directory)"))
    }

    @Test func httpStatusesAreJudgedAsTheKubeletJudgesThem() async throws {
        let namespace = try ProbeTestNamespace.create()
        defer { namespace.remove() }
        let server = try await ProbeTestHTTPServer(in: namespace)
        defer { server.stop() }

        func get(_ path: String, port: Int = ProbeTestHTTPServer.port, timeout: Duration = .seconds(2)) async -> ProbeOutcome {
            await dialer.httpGet(netnsPath: namespace.path, host: "127.0.0.1", port: port, path: path, timeout: timeout)
        }
        #expect(await get("/healthz") == .success)
        #expect(await get("/fail") == .failure("HTTP probe failed with statuscode: 500"))
        #expect(await get("/redirect") == .warning("Probe terminated redirects, Response body: moved"))
        #expect(await get("/big") == .success, "a large body is cut at 10 KiB, not an error")
        #expect(await get("/chunked") == .success)
        #expect(await get("/healthz", port: 8082)
            == .failure(#"Get "http://127.0.0.1:8082/healthz": dial tcp 127.0.0.1:8082: connect: connection refused"#))
        let closed = await get("/healthz", port: ProbeTestHTTPServer.closingPort)
        #expect(closed == .failure(#"Get "http://127.0.0.1:8081/healthz": EOF"#))
    }

    @Test func httpTimeoutsNameThePhaseThatRanOut() async throws {
        let namespace = try ProbeTestNamespace.create()
        defer { namespace.remove() }
        let server = try await ProbeTestHTTPServer(in: namespace)
        defer { server.stop() }

        let start = ContinuousClock.now
        let slow = await dialer.httpGet(
            netnsPath: namespace.path, host: "127.0.0.1", port: ProbeTestHTTPServer.port, path: "/slow", timeout: .milliseconds(500))
        #expect(ContinuousClock.now - start < .seconds(15))
        #expect(slow == .failure(
            #"Get "http://127.0.0.1:8080/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"#))

        let stalled = await dialer.httpGet(
            netnsPath: namespace.path, host: "127.0.0.1", port: ProbeTestHTTPServer.port, path: "/stall-body", timeout: .milliseconds(500))
        #expect(stalled == .failure(
            #"Get "http://127.0.0.1:8080/stall-body": context deadline exceeded (Client.Timeout exceeded while reading body)"#))

        let unreachable = await dialer.httpGet(
            netnsPath: namespace.path, host: ProbeTestNamespace.blackhole, port: 8080, path: "/healthz", timeout: .milliseconds(300))
        #expect(unreachable == .failure(
            #"Get "http://10.254.0.2:8080/healthz": dial tcp 10.254.0.2:8080: i/o timeout (Client.Timeout exceeded while awaiting headers)"#))
    }

    @Test func httpSendsTheKubeletsHeaders() async throws {
        let namespace = try ProbeTestNamespace.create()
        defer { namespace.remove() }
        let server = try await ProbeTestHTTPServer(in: namespace)
        defer { server.stop() }

        #expect(await dialer.httpGet(
            netnsPath: namespace.path, host: "127.0.0.1", port: ProbeTestHTTPServer.port, path: "healthz?full=1",
            headers: [ProbeHeader(name: "x-probe-token", value: "abc"), ProbeHeader(name: "host", value: "app.example")],
            timeout: .seconds(2)) == .success)
        #expect(await dialer.httpGet(
            netnsPath: namespace.path, host: "127.0.0.1", port: ProbeTestHTTPServer.port, path: "/custom",
            headers: [ProbeHeader(name: "User-Agent", value: "mine/1"), ProbeHeader(name: "Accept", value: "")],
            timeout: .seconds(2)) == .success)

        let requests = try server.requests()
        try #require(requests.count == 2)
        #expect(requests[0].path == "/healthz?full=1")
        let first = Dictionary(requests[0].headers, uniquingKeysWith: { $1 })
        #expect(first["Host"] == "app.example")
        #expect(first["User-Agent"] == "kube-probe/1.32")
        #expect(first["Accept"] == "*/*")
        #expect(first["Connection"] == "close")
        #expect(first["X-Probe-Token"] == "abc", "names are canonicalised as Go does: \(first)")
        let second = Dictionary(requests[1].headers, uniquingKeysWith: { $1 })
        #expect(second["User-Agent"] == "mine/1")
        #expect(second["Accept"] == nil, "an empty Accept removes it")
        #expect(second["Host"] == "127.0.0.1:8080")
    }
}
