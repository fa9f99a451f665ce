import Foundation
import SkiffAPI
import Testing

@testable import SkiffClient

/// The exec websocket's framing, the exit status as client-go reads it, and the
/// request sequence of `exec` against a scripted server and websocket.
@Suite struct ExecProtocolTests {
    @Test func framesCarryTheirChannelFirst() {
        #expect(ExecFrame.stdin([0x61, 0x62]) == [0, 0x61, 0x62])
        #expect(ExecFrame.closeStdin == [255, 0])
        #expect(String(decoding: ExecFrame.resize(columns: 80, rows: 24).dropFirst(), as: UTF8.self)
            == "{\"Width\":80,\"Height\":24}")
        #expect(ExecFrame.resize(columns: 1, rows: 2).first == 4)
        #expect(ExecFrame.decode([1, 0x68, 0x69]) == .stdout([0x68, 0x69]))
        #expect(ExecFrame.decode([2, 0x65]) == .stderr([0x65]))
        #expect(ExecFrame.decode([3, 0x7B]) == .status([0x7B]))
        #expect(ExecFrame.decode([1]) == .stdout([]))
        #expect(ExecFrame.decode([]) == .ignored)
        #expect(ExecFrame.decode([9, 1]) == .ignored)
    }

    @Test func successAndNoStatusAreExitZero() {
        #expect(ExecOutcome(status: Array(#"{"metadata":{},"status":"Success"}"#.utf8)) == .success)
        #expect(ExecOutcome(status: []) == .success)
        #expect(ExecOutcome.success.exitCode == 0)
        #expect(ExecOutcome.success.message == nil)
    }

    @Test func nonZeroExitCodeCarriesTheCode() {
        let status = #"""
            {"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}
            """#
        let outcome = ExecOutcome(status: Array(status.utf8))
        #expect(outcome == .exited(3))
        #expect(outcome.exitCode == 3)
        #expect(outcome.message == "command terminated with exit code 3")
    }

    @Test func malformedExitStatusesAreProtocolErrors() {
        func outcome(_ json: String) -> ExecOutcome { ExecOutcome(status: Array(json.utf8)) }
        #expect(outcome(#"{"status":"Failure","reason":"NonZeroExitCode"}"#)
            == .failed("error stream protocol error: details must be set"))
        #expect(outcome(#"{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[]}}"#)
            == .failed("error stream protocol error: no ExitCode cause given"))
        #expect(outcome(#"{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"300"}]}}"#)
            == .failed("error stream protocol error: invalid exit code value \"300\""))
        #expect(outcome(#"{"status":"Weird"}"#) == .failed("error stream protocol error: unknown error"))
        if case .failed(let message) = outcome("not json") {
            #expect(message.hasPrefix("error stream protocol error: "))
        } else {
            Issue.record("unparsable status must fail")
        }
    }

    @Test func otherFailuresPrintTheirMessage() {
        let outcome = ExecOutcome(status: Array(
            #"{"metadata":{},"status":"Failure","message":"Internal error occurred: no such container","reason":"InternalError"}"#.utf8))
        #expect(outcome == .failed("Internal error occurred: no such container"))
        #expect(outcome.exitCode == 1)
        #expect(outcome.message == "error: Internal error occurred: no such container")
    }

    @Test func queryIsInKubectlsOrder() {
        let plain = ExecOptions(command: ["ls", "/"]).query(container: "app")
        #expect(plain.map(\.0) == ["command", "command", "container", "stderr", "stdout"])
        #expect(plain.map(\.1) == ["ls", "/", "app", "true", "true"])
        let terminal = ExecOptions(command: ["sh"], stdin: true, tty: true).query(container: "app")
        #expect(terminal.map(\.0) == ["command", "container", "stdin", "stdout", "tty"])
    }

    static let twoContainers: JSONValue = [
        "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web", "namespace": "default"],
        "spec": ["containers": [["name": "app", "image": "a"], ["name": "side", "image": "b"]],
                 "initContainers": [["name": "setup", "image": "c"]]],
        "status": ["phase": "Running"],
    ]

    @Test func relaysOutputAndStdinThenReadsTheStatus() async throws {
        let transport = ManifestTestTransport { _ in (200, Self.twoContainers) }
        let dialer = ScriptedExecDialer(replies: [
            ExecFrame.stdoutChannel: "out\n", ExecFrame.stderrChannel: "err\n",
        ], status: #"{"metadata":{},"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"7"}]}}"#)
        let printed = ManifestTestOutput()
        let collected = Collected()
        let (stdin, feed) = AsyncStream<[UInt8]>.makeStream()
        feed.yield(Array("hello".utf8))
        feed.finish()
        let streams = ExecStreams(
            stdin: stdin, stdout: { collected.add(out: $0) }, stderr: { collected.add(err: $0) })
        let outcome = try await ExecAction(
            session: KubeSession(transport: transport, namespace: "default"), output: printed.output, dialer: dialer
        ).run(pod: "web", options: ExecOptions(command: ["cat"], stdin: true), streams: streams)
        #expect(outcome == .exited(7))
        #expect(collected.out == "out\n")
        #expect(collected.err == "err\n")
        #expect(printed.err == "Defaulted container \"app\" out of: app, side, setup (init)\n")
        let opened = try #require(dialer.opened.first)
        #expect(opened.path == "/api/v1/namespaces/default/pods/web/exec")
        #expect(opened.query.first { $0.0 == "container" }?.1 == "app")
        #expect(dialer.sent.contains(ExecFrame.stdin(Array("hello".utf8))))
        #expect(dialer.sent.last == ExecFrame.closeStdin)
    }

    @Test func refusedUpgradeReportsTheServersStatus() async throws {
        let transport = ManifestTestTransport { request in
            if request.method == "POST" {
                return (400, ["kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "BadRequest", "code": 400,
                              "message": "container nope is not valid for pod web"])
            }
            return (200, Self.twoContainers)
        }
        let dialer = ScriptedExecDialer(refuse: true)
        do {
            _ = try await ExecAction(
                session: KubeSession(transport: transport, namespace: "default"), output: ManifestTestOutput().output,
                dialer: dialer
            ).run(pod: "web", options: ExecOptions(container: "nope", command: ["ls"]), streams: ExecStreams(stdout: { _ in }, stderr: { _ in }))
            Issue.record("a refused upgrade must fail")
        } catch {
            #expect(error.description == "Error from server (BadRequest): container nope is not valid for pod web")
        }
        #expect(transport.requests.last?.method == "POST")
    }

    @Test func completedPodsAreRefusedBeforeDialling() async throws {
        var done = Self.twoContainers
        done["status"]["phase"] = "Succeeded"
        let finished = done
        let transport = ManifestTestTransport { _ in (200, finished) }
        let dialer = ScriptedExecDialer()
        do {
            _ = try await ExecAction(
                session: KubeSession(transport: transport, namespace: "default"), output: ManifestTestOutput().output,
                dialer: dialer
            ).run(pod: "web", options: ExecOptions(command: ["ls"]), streams: ExecStreams(stdout: { _ in }, stderr: { _ in }))
            Issue.record("a completed pod must be refused")
        } catch {
            #expect(error.description == "error: cannot exec into a container in a completed pod; current phase is Succeeded")
        }
        #expect(dialer.opened.isEmpty)
    }
}

/// Output collected from the exec callbacks.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var outBytes: [UInt8] = []
    private var errBytes: [UInt8] = []

    func add(out bytes: [UInt8]) { lock.withLock { outBytes += bytes } }
    func add(err bytes: [UInt8]) { lock.withLock { errBytes += bytes } }
    var out: String { lock.withLock { String(decoding: outBytes, as: UTF8.self) } }
    var err: String { lock.withLock { String(decoding: errBytes, as: UTF8.self) } }
}

/// A websocket that, once the client has closed stdin (or at once without stdin
/// frames expected), answers with fixed output and a status, then closes.
private final class ScriptedExecDialer: ExecDialer, @unchecked Sendable {
    private let lock = NSLock()
    private var openedRequests: [(path: String, query: [(String, String)])] = []
    private var sentMessages: [[UInt8]] = []
    private let replies: [UInt8: String]
    private let status: String
    private let refuse: Bool

    init(replies: [UInt8: String] = [:], status: String = #"{"metadata":{},"status":"Success"}"#, refuse: Bool = false) {
        self.replies = replies
        self.status = status
        self.refuse = refuse
    }

    var opened: [(path: String, query: [(String, String)])] { lock.withLock { openedRequests } }
    var sent: [[UInt8]] { lock.withLock { sentMessages } }

    func openExec(
        path: String, query: [(String, String)], _ body: @escaping @Sendable (any ExecChannel) async throws -> Void
    ) async throws {
        lock.withLock { openedRequests.append((path, query)) }
        if refuse { throw ExecDialError.upgradeRefused }
        let wantsStdin = query.contains { $0 == ("stdin", "true") }
        var script: [[UInt8]] = replies.keys.sorted().map { [$0] + Array(replies[$0, default: ""].utf8) }
        script.append([ExecFrame.statusChannel] + Array(status.utf8))
        try await body(Channel(dialer: self, script: script, waitForStdinClose: wantsStdin))
    }

    fileprivate func record(_ message: [UInt8]) { lock.withLock { sentMessages.append(message) } }

    private final class Channel: ExecChannel, @unchecked Sendable {
        let dialer: ScriptedExecDialer
        var script: [[UInt8]]
        let waitForStdinClose: Bool

        init(dialer: ScriptedExecDialer, script: [[UInt8]], waitForStdinClose: Bool) {
            self.dialer = dialer
            self.script = script
            self.waitForStdinClose = waitForStdinClose
        }

        func receive() async throws -> [UInt8]? {
            if waitForStdinClose {
                while !dialer.sent.contains(ExecFrame.closeStdin) { try await Task.sleep(for: .milliseconds(5)) }
            }
            return script.isEmpty ? nil : script.removeFirst()
        }

        func send(_ message: [UInt8]) async throws { dialer.record(message) }
    }
}
