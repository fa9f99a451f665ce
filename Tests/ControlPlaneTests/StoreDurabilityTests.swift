import ControlPlane
import Dispatch
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// kill -9 at an arbitrary moment loses no acknowledged write. The writer runs
/// in a child process (this test binary, filtered to `StoreDurabilityWriter`),
/// prints each revision only after `create` returned, and is SIGKILLed
/// mid-stream; the parent then reopens the file and checks every printed write.
@Suite struct StoreDurabilityTests {
    @Test func killNineLosesNoAcknowledgedWrite() async throws {
        let directory = try StoreTestDirectory()
        let databasePath = directory.databasePath
        let killAfter = Int.random(in: 200...1500)
        let run = try await runOffPool { () throws -> WriterRun in
            try WriterRun.spawnAndKill(databasePath: databasePath, killAfterAcks: killAfter)
        }
        #expect(run.killedBySignal == SIGKILL, "writer should have died by SIGKILL, status \(run.status)")
        #expect(run.acks.count >= killAfter, "writer acknowledged only \(run.acks.count) writes")

        let store = try await SQLiteStorage.open(path: databasePath)
        var missing = 0
        for (key, revision) in run.acks {
            let object = try await store.get(key)
            if object?.modRevision != revision { missing += 1 }
        }
        #expect(missing == 0, "\(missing) of \(run.acks.count) acknowledged writes lost")
        if let highest = run.acks.map(\.1).max() {
            #expect(try await store.currentRevision() >= highest)
        }
        // The store keeps working after the crash.
        _ = try await store.create("/after-crash", value: Data("ok"))
        try await store.close()
    }
}

/// The child side: enabled only inside the spawned writer process.
@Suite struct StoreDurabilityWriter {
    static let environmentKey = "SKIFF_STORE_WRITER"

    @Test(.enabled(if: ProcessInfo.processInfo.environment[StoreDurabilityWriter.environmentKey] != nil))
    func writeUntilKilled() async throws {
        let path = try #require(ProcessInfo.processInfo.environment[Self.environmentKey])
        let store = try await SQLiteStorage.open(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    var index = 0
                    while true {
                        let key = "/durable/\(writer)/\(index)"
                        let revision = try await store.create(key, value: Data(repeating: 0x61, count: 256))
                        // One write(2) per line: atomic on a pipe, unbuffered.
                        FileHandle.standardOutput.write(Data("ACK \(key) \(revision)\n".utf8))
                        index += 1
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}

/// What the parent saw of one writer child.
struct WriterRun: Sendable {
    var acks: [(String, StorageRevision)] = []
    var status: Int32 = 0

    var killedBySignal: Int32? {
        (status & 0x7f) != 0 ? status & 0x7f : nil
    }

    /// Spawns the writer, SIGKILLs it after `killAfterAcks` acknowledgements,
    /// and collects every acknowledgement it printed before dying. Blocking.
    static func spawnAndKill(databasePath: String, killAfterAcks: Int) throws -> WriterRun {
        let binary = CommandLine.arguments[0]
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw POSIXError(.EIO) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])

        let arguments = [binary, "--testing-library", "swift-testing", "--filter", "StoreDurabilityWriter"]
        var environment = ProcessInfo.processInfo.environment
        environment[StoreDurabilityWriter.environmentKey] = databasePath
        let cArguments = arguments.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, binary, &actions, nil, cArguments, cEnvironment)
        close(fds[1])
        guard spawned == 0 else {
            close(fds[0])
            throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO)
        }

        var run = WriterRun()
        var killed = false
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fds[0], &chunk, chunk.count)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            buffer.append(contentsOf: chunk[0..<count])
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                if let ack = parseAck(line) { run.acks.append(ack) }
            }
            if !killed, run.acks.count >= killAfterAcks {
                kill(pid, SIGKILL)
                killed = true
            }
        }
        close(fds[0])
        if !killed { kill(pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        run.status = status
        return run
    }

    private static func parseAck(_ line: String) -> (String, StorageRevision)? {
        guard let range = line.range(of: "ACK ") else { return nil }
        let fields = line[range.upperBound...].split(separator: " ")
        guard fields.count == 2, let value = Int64(fields[1]) else { return nil }
        return (String(fields[0]), StorageRevision(value))
    }
}

/// Runs blocking work (process I/O) on its own dispatch queue, off the cooperative pool.
func runOffPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue(label: "skiff.store.test.blocking").async {
            continuation.resume(with: Result { try work() })
        }
    }
}
