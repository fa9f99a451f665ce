import Foundation
import Glibc
import SkiffAPI
import SkiffClient

/// A real `skiffd server --disable-agent` on a free loopback port with its own
/// temporary data directory (SQLite file, TLS files, kubeconfig), reached over
/// HTTPS with the token from the kubeconfig it wrote.
final class TestServer: @unchecked Sendable {
    let base: URL
    let dataDirectory: URL
    private(set) var process: Process
    private(set) var client: APIClient
    private let ownsDirectory: Bool
    private let extraArguments: [String]

    var kubeconfig: String { dataDirectory.appendingPathComponent("kubeconfig.yaml").path }
    var logPath: String { base.appendingPathComponent("skiffd.log").path }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    private init(
        base: URL, dataDirectory: URL, process: Process, client: APIClient, ownsDirectory: Bool, extraArguments: [String]
    ) {
        self.extraArguments = extraArguments
        self.base = base
        self.dataDirectory = dataDirectory
        self.process = process
        self.client = client
        self.ownsDirectory = ownsDirectory
    }

    static func start(extraArguments: [String] = []) async throws -> TestServer {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-api-\(UUID().uuidString.prefix(8))")
        let data = base.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let (process, client) = try await launch(base: base, data: data, extraArguments: extraArguments)
        return TestServer(
            base: base, dataDirectory: data, process: process, client: client, ownsDirectory: true,
            extraArguments: extraArguments)
    }

    private static func launch(base: URL, data: URL, extraArguments: [String]) async throws -> (Process, APIClient) {
        let kubeconfig = data.appendingPathComponent("kubeconfig.yaml")
        try? FileManager.default.removeItem(at: kubeconfig)
        let logPath = base.appendingPathComponent("skiffd.log").path
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binaries.skiffd)
        process.arguments = [
            "server", "--disable-agent", "--data-dir", data.path, "--port", "0", "--bind-address", "127.0.0.1",
            "--log-level", "warning",
        ] + extraArguments
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        handle.seekToEndOfFile()
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while !FileManager.default.fileExists(atPath: kubeconfig.path) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                throw TestServerError("skiffd did not write its kubeconfig: \(log)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let settings = try Kubeconfig.load(path: kubeconfig.path).resolve(context: nil)
        return (process, try APIClient(settings: settings))
    }

    /// Runs `body` against a fresh server and always stops it and removes its
    /// data directory afterwards, also when the body throws.
    /// The API server alone, as kube-apiserver runs without kube-controller-manager:
    /// only the namespace controller and the garbage collector, which complete what
    /// a DELETE starts. The verb tests need objects nobody else writes to.
    static let apiOnly = ["--controllers", "namespace-controller,garbage-collector-controller"]

    static func with(extraArguments: [String] = [], _ body: (TestServer) async throws -> Void) async throws {
        let server = try await start(extraArguments: extraArguments)
        do {
            try await body(server)
        } catch {
            await server.remove()
            throw error
        }
        await server.remove()
    }

    /// SIGTERM and wait (the daemon must be gone within 5 s).
    @discardableResult
    func stop() async -> Bool {
        guard process.isRunning else {
            await client.shutdown()
            return true
        }
        kill(process.processIdentifier, SIGTERM)
        let asked = ContinuousClock.now
        // About 1.5 s on an idle machine; generous, as the suites share two cores.
        while process.isRunning, ContinuousClock.now - asked < .seconds(15) {
            try? await Task.sleep(for: .milliseconds(10))
        }
        let stopped = !process.isRunning
        if !stopped { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        // After the daemon is gone, so an open watch cannot hold the client up.
        await client.shutdown()
        return stopped
    }

    /// kill -9: no chance to flush anything.
    func crash() async {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        await client.shutdown()
    }

    /// Starts a new daemon on the same data directory (after `stop` or `crash`).
    func restart() async throws {
        let (process, client) = try await Self.launch(base: base, data: dataDirectory, extraArguments: extraArguments)
        self.process = process
        self.client = client
    }

    /// Stops the daemon and removes the data directory.
    func remove() async {
        await stop()
        if ownsDirectory { try? FileManager.default.removeItem(at: base) }
    }

    // MARK: requests

    struct Reply {
        var status: Int
        var body: JSONValue
        var text: String
        var contentType: String
    }

    func request(
        _ method: String, _ path: String, query: [(String, String)] = [], json: JSONValue? = nil,
        body: [UInt8]? = nil, contentType: String? = nil, accept: String = "application/json"
    ) async throws -> Reply {
        let payload = body ?? json.map { $0.serializedBytes() }
        let response = try await client.send(
            method, path, query: query, body: payload,
            contentType: contentType ?? (payload == nil ? nil : "application/json"), accept: accept)
        let text = String(decoding: response.body, as: UTF8.self)
        let parsed = (try? JSONValue(jsonBytes: response.body)) ?? .null
        let type = response.headers.first { $0.0.lowercased() == "content-type" }?.1 ?? ""
        return Reply(status: response.status, body: parsed, text: text, contentType: type)
    }

    func get(_ path: String, query: [(String, String)] = []) async throws -> Reply {
        try await request("GET", path, query: query)
    }

    func post(_ path: String, _ object: JSONValue, query: [(String, String)] = []) async throws -> Reply {
        try await request("POST", path, query: query, json: object)
    }

    /// Runs the real kubectl against this server with a private discovery cache.
    func kubectl(_ arguments: [String], stdin: String? = nil) throws -> Command.Result {
        try Command.run(
            Binaries.kubectl,
            ["--kubeconfig", kubeconfig, "--cache-dir", base.appendingPathComponent("kube-cache").path] + arguments,
            stdin: stdin, environment: ["HOME": base.path])
    }

    /// Runs our ctl against this server.
    func skiff(_ arguments: [String], stdin: String? = nil) throws -> Command.Result {
        try Command.run(Binaries.skiff, ["--kubeconfig", kubeconfig] + arguments, stdin: stdin, environment: ["HOME": base.path])
    }
}

struct TestServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The seed's manifests verbatim (copied from the seed into Fixtures/seed, so a
/// clean clone has them), as the walkthrough uses them.
enum SeedManifests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/seed")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}
