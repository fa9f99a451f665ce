import Testing
@testable import NodeRuntime

/// The request bytes and verdicts, without a network.
@Suite struct HTTPProbeRequestTests {
    @Test func requestMatchesWhatTheKubeletSends() throws {
        let request = try HTTPProbeRequest(
            hostPort: "10.42.0.5:8080", path: "/healthz", headers: [ProbeHeader(name: "x-trace", value: "1")],
            userAgent: "kube-probe/1.32")
        #expect(request.url == "http://10.42.0.5:8080/healthz")
        #expect(String(decoding: request.bytes, as: UTF8.self) == """
            GET /healthz HTTP/1.1\r
            Host: 10.42.0.5:8080\r
            User-Agent: kube-probe/1.32\r
            X-Trace: 1\r
            Accept: */*\r
            Connection: close\r
            \r

            """)
    }

    @Test func pathsGetALeadingSlashAndEscapes() throws {
        #expect(try HTTPProbeRequest.requestTarget("") == "/")
        #expect(try HTTPProbeRequest.requestTarget("ready") == "/ready")
        #expect(try HTTPProbeRequest.requestTarget("/a b?q=1") == "/a%20b?q=1")
        #expect(ProbeAddress.join("fd00::5", 8080) == "[fd00::5]:8080")
    }

    @Test func headerValuesCannotInjectLines() {
        #expect(throws: ProbeFailureText.self) {
            try HTTPProbeRequest(
                hostPort: "10.0.0.1:80", path: "/", headers: [ProbeHeader(name: "X", value: "a\r\nEvil: 1")],
                userAgent: "kube-probe/1.32")
        }
    }

    @Test func headerNamesAreCanonicalisedLikeGo() {
        #expect(ProbeHeader(name: "x-custom-header", value: "").canonicalName == "X-Custom-Header")
        #expect(ProbeHeader(name: "USER-AGENT", value: "").canonicalName == "User-Agent")
        #expect(ProbeHeader(name: "bad name", value: "").canonicalName == "bad name")
    }

    @Test(arguments: [
        (200, ProbeOutcome.success), (204, .success), (399, .warning("Probe terminated redirects, Response body: b")),
        (199, .failure("HTTP probe failed with statuscode: 199")), (400, .failure("HTTP probe failed with statuscode: 400")),
        (503, .failure("HTTP probe failed with statuscode: 503")),
    ])
    func statusVerdicts(_ code: Int, _ expected: ProbeOutcome) {
        #expect(ProbeDialer.outcome(statusCode: code, body: Array("b".utf8)) == expected)
        #expect(expected.isSuccess == (code >= 200 && code < 400))
    }
}
