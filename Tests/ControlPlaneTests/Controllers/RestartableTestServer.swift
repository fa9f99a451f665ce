import Foundation
import Logging
import Testing

@testable import ControlPlane

/// The real API server over one data directory that a test can stop and
/// start again, as a `kill -9` and restart would: every controller loses
/// what it held in memory and must carry on from the store alone.
final class RestartableTestServer {
    let directory: URL
    private(set) var storage: SQLiteStorage
    private(set) var server: APIServer

    private init(directory: URL, storage: SQLiteStorage, server: APIServer) {
        self.directory = directory
        self.storage = storage
        self.server = server
    }

    static func with(_ body: (RestartableTestServer) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-restart-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (storage, server) = try await start(directory)
        let harness = RestartableTestServer(directory: directory, storage: storage, server: server)
        do {
            try await body(harness)
        } catch {
            await harness.shutDown()
            throw error
        }
        await harness.shutDown()
    }

    private static func start(_ directory: URL) async throws -> (SQLiteStorage, APIServer) {
        let storage = try await SQLiteStorage.open(path: SQLiteStorage.databasePath(inDataDirectory: directory.path))
        var logger = Logger(label: "restart-test")
        logger.logLevel = .warning
        let options = APIServerOptions(dataDirectory: directory, bindAddress: "127.0.0.1", port: 0)
        let server = try await APIServer.start(options: options, storage: storage, logger: logger)
        return (storage, server)
    }

    /// Stops the server and closes the database, then opens both again.
    func restart() async throws {
        await server.stop()
        try? await storage.close()
        (storage, server) = try await Self.start(directory)
    }

    private func shutDown() async {
        await server.stop()
        try? await storage.close()
        try? FileManager.default.removeItem(at: directory)
    }

    var workload: WorkloadStore { WorkloadStore(storage) }

    func kubectl(_ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(30)) async throws -> CommandResult {
        try await CommandResult.run(
            "/usr/bin/kubectl",
            ["--kubeconfig", server.kubeconfigURL.path, "--cache-dir", directory.appendingPathComponent("kube-cache").path]
                + arguments,
            stdin: stdin, environment: ["HOME": directory.path], timeout: timeout)
    }
}
