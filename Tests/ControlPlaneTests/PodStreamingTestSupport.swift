import ControlPlane
import Foundation
import Logging
import SkiffAPI
import Synchronization

/// A stand-in node for `pods/log` and `pods/exec`: canned logs, and a few commands
/// (`echo`, `cat`, `fail N`, `warn`) answered in-process. Records what it was asked.
final class FakePodStreaming: PodStreaming {
    private let recorded = Mutex<(logs: [PodLogRequest], execs: [PodExecRequest])>(([], []))
    var logRequests: [PodLogRequest] { recorded.withLock { $0.logs } }
    var execRequests: [PodExecRequest] { recorded.withLock { $0.execs } }

    func logs(_ request: PodLogRequest) async throws -> AsyncThrowingStream<[UInt8], any Error> {
        recorded.withLock { $0.logs.append(request) }
        if request.previous {
            throw APIStatus.badRequest(
                "previous terminated container \(GoQuote.quote(request.container)) in pod \(GoQuote.quote(request.pod)) not found")
        }
        let lines = ["one", "two", "three"].map { "\(request.container) \($0)\n" }
        let shown = request.tailLines.map { Array(lines.suffix($0)) } ?? lines
        return AsyncThrowingStream { continuation in
            let task = Task {
                for line in shown { continuation.yield(Array(line.utf8)) }
                if request.follow {
                    // New lines keep coming until the client goes away.
                    var count = 0
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(50))
                        count += 1
                        continuation.yield(Array("\(request.container) more \(count)\n".utf8))
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func exec(_ request: PodExecRequest) async throws -> any PodExecSession {
        recorded.withLock { $0.execs.append(request) }
        guard let program = request.command.first, ["echo", "cat", "fail", "warn", "tty"].contains(program) else {
            throw APIStatus.internalError(
                "error executing command in container: \(request.command.first ?? "") not found in $PATH")
        }
        return FakeExecSession(request)
    }
}

/// One fake process: its output is decided by the command (and stdin for `cat`).
final class FakeExecSession: PodExecSession {
    let output: AsyncStream<PodExecOutput>
    private let continuation: AsyncStream<PodExecOutput>.Continuation
    private let exitCode = Mutex<Int32?>(nil)
    private let resizes = Mutex<[String]>([])
    private let request: PodExecRequest

    init(_ request: PodExecRequest) {
        self.request = request
        (output, continuation) = AsyncStream<PodExecOutput>.makeStream()
        let arguments = Array(request.command.dropFirst())
        switch request.command.first {
        case "echo":
            emit(.stdout, arguments.joined(separator: " ") + "\n")
            finish(0)
        case "fail":
            emit(.stderr, "failing\n")
            finish(Int32(arguments.first ?? "1") ?? 1)
        case "warn":
            emit(.stdout, "out\n")
            emit(.stderr, "err\n")
            finish(0)
        default:
            break  // `cat` and `tty` end when stdin closes.
        }
    }

    private func emit(_ stream: PodExecOutput.Stream, _ text: String) {
        continuation.yield(PodExecOutput(stream: request.tty ? .stdout : stream, bytes: Array(text.utf8)))
    }

    private func finish(_ code: Int32) {
        exitCode.withLock { $0 = code }
        continuation.finish()
    }

    func writeStdin(_ bytes: [UInt8]) async {
        if request.command.first == "cat" { continuation.yield(PodExecOutput(stream: .stdout, bytes: bytes)) }
    }

    func closeStdin() async {
        // `tty` does not read its input: it ends when it has printed the size. (Under
        // `script`, a client may see end of input before it switched the terminal to
        // raw mode, and close stdin early.)
        if request.command.first == "tty" { return }
        finish(0)
    }

    func resize(columns: UInt16, rows: UInt16) async {
        resizes.withLock { $0.append("\(columns)x\(rows)") }
        // `tty` reports the first size and exits (a terminal never ends stdin).
        if request.command.first == "tty" {
            emit(.stdout, "tty=\(request.tty) size \(columns)x\(rows)\n")
            finish(0)
        }
    }

    func wait() async -> Int32 {
        while true {
            if let code = exitCode.withLock({ $0 }) { return code }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    func cancel() async { finish(137) }
}

/// The real API server in this process on a free loopback port, with the fake node.
final class StreamingTestServer: Sendable {
    let directory: URL
    let server: APIServer
    let storage: SQLiteStorage
    let node: FakePodStreaming

    var kubeconfig: String { server.kubeconfigURL.path }

    private init(directory: URL, server: APIServer, storage: SQLiteStorage, node: FakePodStreaming) {
        self.directory = directory
        self.server = server
        self.storage = storage
        self.node = node
    }

    static func with(
        podStreaming: Bool = true, configure: (inout APIServerOptions) -> Void = { _ in },
        _ body: (StreamingTestServer) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-streams-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let storage = try await SQLiteStorage.open(path: SQLiteStorage.databasePath(inDataDirectory: directory.path))
        let node = FakePodStreaming()
        var options = APIServerOptions(dataDirectory: directory, bindAddress: "127.0.0.1", port: 0)
        if podStreaming { options.podStreaming = node }
        configure(&options)
        var logger = Logger(label: "streams-test")
        logger.logLevel = .warning
        let server = try await APIServer.start(options: options, storage: storage, logger: logger)
        let harness = StreamingTestServer(directory: directory, server: server, storage: storage, node: node)
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    private func stop() async {
        await server.stop()
        try? await storage.close()
        try? FileManager.default.removeItem(at: directory)
    }

    func kubectl(_ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(30)) async throws -> CommandResult {
        try await CommandResult.run(
            "/usr/bin/kubectl",
            ["--kubeconfig", kubeconfig, "--cache-dir", directory.appendingPathComponent("kube-cache").path] + arguments,
            stdin: stdin, environment: ["HOME": directory.path], timeout: timeout)
    }

    func skiff(_ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(30)) async throws -> CommandResult {
        try await CommandResult.run(
            BuiltProducts.skiff, ["--kubeconfig", kubeconfig] + arguments, stdin: stdin,
            environment: ["HOME": directory.path], timeout: timeout)
    }

    /// Creates the pods the tests use: `web` (one container, on a node), `two` (two
    /// containers and an init container), `pending` (not scheduled).
    func createPods() async throws {
        let manifest = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              nodeName: node-1
              containers: [{name: app, image: busybox}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: two}
            spec:
              nodeName: node-1
              initContainers: [{name: setup, image: busybox}]
              containers: [{name: a, image: busybox}, {name: b, image: busybox}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: pending}
            spec:
              containers: [{name: app, image: busybox}]
            """
        let created = try await kubectl(["apply", "-f", "-"], stdin: manifest)
        guard created.status == 0 else { throw StreamingTestError("kubectl apply failed: \(created.combined)") }
    }
}

struct StreamingTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The built `skiff` next to the test bundle.
enum BuiltProducts {
    static var skiff: String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("skiff").path) {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("skiff").path
    }
}

/// A finished child process. Runs without blocking a concurrency thread (the server
/// under test shares them); output goes through files, stdin from a file.
struct CommandResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
    var combined: String { stdout + stderr }

    static func run(
        _ executable: String, _ arguments: [String], stdin: String?, environment: [String: String], timeout: Duration
    ) async throws -> CommandResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cmd-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out")
        let err = directory.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        if let stdin {
            let input = directory.appendingPathComponent("in")
            try Data(stdin.utf8).write(to: input)
            process.standardInput = try FileHandle(forReadingFrom: input)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let (ended, ending) = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in
            ending.yield()
            ending.finish()
        }
        try process.run()
        let killer = Task {
            try await Task.sleep(for: timeout)
            process.interrupt()
        }
        for await _ in ended { break }
        killer.cancel()
        return CommandResult(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Starts a process to be stopped by the caller (`logs -f`); output goes to a file.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String]) throws
        -> (process: Process, output: URL)
    {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("follow-\(UUID().uuidString.prefix(8))")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: output)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, output)
    }
}
