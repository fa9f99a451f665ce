import Foundation
import SkiffAPI
import Testing

@testable import ControlPlane

/// The pieces of `pods/log` and `pods/exec` decided without a network: subprotocol
/// choice, channel decoding, the exit status document, options and container rules.
@Suite struct PodStreamingRulesTests {
    @Test func negotiatesTheFirstOfferedProtocolItSpeaks() {
        #expect(WebSocketStreamProtocol.negotiate(["v5.channel.k8s.io"]) == .v5)
        #expect(WebSocketStreamProtocol.negotiate(["base64.channel.k8s.io, v4.channel.k8s.io", "v5.channel.k8s.io"]) == .v4)
        #expect(WebSocketStreamProtocol.negotiate(["channel.k8s.io"]) == nil)
        #expect(WebSocketStreamProtocol.negotiate([]) == nil)
    }

    @Test func decodesClientChannels() {
        let v5 = WebSocketStreamProtocol.v5
        #expect(v5.decode([0, 0x61]) == .stdin([0x61]))
        #expect(v5.decode([255, 0]) == .closeStdin)
        #expect(v5.decode([255, 1]) == .ignored)
        #expect(WebSocketStreamProtocol.v4.decode([255, 0]) == .ignored)
        #expect(v5.decode([4] + Array(#"{"Width":120,"Height":40}"#.utf8)) == .resize(columns: 120, rows: 40))
        #expect(v5.decode([4] + Array("junk".utf8)) == .ignored)
        #expect(v5.decode([]) == .ignored)
        #expect(WebSocketStreamProtocol.frame(1, [0x68]) == [1, 0x68])
    }

    @Test func exitStatusMatchesTheKubelets() throws {
        #expect(PodExecStatus.exited(0, command: ["ls"]) == ["metadata": .emptyObject, "status": "Success"])
        let failed = PodExecStatus.exited(3, command: ["sh", "-c", "exit 3"])
        #expect(failed["status"] == "Failure")
        #expect(failed["reason"] == "NonZeroExitCode")
        #expect(failed["message"]
            == "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3")
        #expect(failed["details"]["causes"] == [["reason": "ExitCode", "message": "3"]])
        #expect(PodExecStatus.exited(-1, command: ["x"])["details"]["causes"][0]["message"] == "255")
        let crashed = PodExecStatus.failed(StreamingTestError("boom"))
        #expect(crashed["reason"] == "InternalError")
        #expect(crashed["message"] == "Internal error occurred: error executing command in container: boom")
        #expect(PodExecStatus.failed(APIStatus.badRequest("nope"))["message"] == "nope")
    }

    @Test func logQueryDecodesAndValidatesLikeKubeAPIServer() throws {
        let query = try PodLogQuery([
            ("container", "c"), ("follow", "true"), ("previous", "1"), ("timestamps", "false"), ("tailLines", "10"),
            ("sinceTime", "2024-05-01T10:00:00Z"), ("limitBytes", "5"), ("insecureSkipTLSVerifyBackend", "true"),
        ])
        #expect(query.container == "c")
        #expect(query.follow && query.previous && !query.timestamps)
        #expect(query.tailLines == 10)
        #expect(query.limitBytes == 5)
        #expect(query.sinceTime == RFC3339.date("2024-05-01T10:00:00Z"))
        #expect(query.errors.isEmpty)

        let bad = try PodLogQuery([("tailLines", "-1"), ("limitBytes", "0"), ("sinceSeconds", "0")])
        #expect(bad.errors.map(\.description) == [
            "tailLines: Invalid value: -1: must be greater than or equal to 0",
            "limitBytes: Invalid value: 0: must be greater than 0",
            "sinceSeconds: Invalid value: 0: must be greater than 0",
        ])
        #expect(throws: APIStatus.self) { try bad.validate(pod: "web") }
        #expect(throws: APIStatus.badRequest("strconv.ParseInt: parsing \"1x\": invalid syntax")) {
            try PodLogQuery([("tailLines", "1x")])
        }
        #expect(throws: APIStatus.badRequest("strconv.ParseInt: parsing \"99999999999999999999\": value out of range")) {
            try PodLogQuery([("limitBytes", "99999999999999999999")])
        }
    }

    @Test func execQueryFollowsTheKubeletsFlags() throws {
        let tty = PodExecQuery([("command", "sh"), ("stdin", "true"), ("stderr", "true"), ("tty", "1")])
        #expect(tty.stdin && tty.tty && !tty.stderr && !tty.stdout)
        #expect(throws: APIStatus.badRequest("you must specify at least 1 of stdin, stdout, stderr")) {
            try PodExecQuery([("command", "ls"), ("stdout", "false")]).validate()
        }
        #expect(throws: APIStatus.badRequest("you must specify at least one command for the container")) {
            try PodExecQuery([("stdout", "true")]).validate()
        }
    }

    @Test func containerDefaultingMatchesKubeAPIServer() throws {
        func pod(_ containers: [String], initContainers: [String] = []) -> JSONValue {
            [
                "metadata": ["name": "web", "uid": "u-1"],
                "spec": [
                    "nodeName": "n1",
                    "containers": .array(containers.map { ["name": .string($0)] }),
                    "initContainers": .array(initContainers.map { ["name": .string($0)] }),
                ],
            ]
        }
        let one = try PodStreamingTarget(pod: pod(["app"]), container: nil)
        #expect(one.container == "app")
        #expect(one.podUID == "u-1")
        #expect(one.nodeName == "n1")
        #expect(try PodStreamingTarget(pod: pod(["a", "b"], initContainers: ["i"]), container: "i").container == "i")
        #expect(throws: APIStatus.badRequest("a container name must be specified for pod web, choose one of: [i a b]")) {
            try PodStreamingTarget(pod: pod(["a", "b"], initContainers: ["i"]), container: "")
        }
        #expect(throws: APIStatus.badRequest("a container name must be specified for pod web")) {
            try PodStreamingTarget(pod: pod([]), container: nil)
        }
        #expect(throws: APIStatus.badRequest("container x is not valid for pod web")) {
            try PodStreamingTarget(pod: pod(["a"]), container: "x")
        }
    }
}
