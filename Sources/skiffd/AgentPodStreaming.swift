import ControlPlane
import Foundation
import NodeAgent
import NodeRuntime
import SkiffAPI
import Synchronization

/// The node agent, once it exists: the API server starts first (the agent
/// talks to it), so its streaming hook is bound to the agent afterwards.
final class AgentSlot: Sendable {
    private let agent = Mutex<NodeAgent?>(nil)

    func set(_ value: NodeAgent) { agent.withLock { $0 = value } }

    func get() throws -> NodeAgent {
        guard let value = agent.withLock({ $0 }) else {
            throw APIStatus(code: 503, reason: .serviceUnavailable, message: "the node agent is not running yet")
        }
        return value
    }
}

/// Hands the API server's `pods/log` and `pods/exec` to the node agent in
/// the same process (kube-apiserver asks the kubelet over HTTPS; here the
/// call stays in memory), mapping the agent's errors to Kubernetes Statuses.
struct AgentPodStreaming: PodStreaming {
    let slot: AgentSlot

    func logs(_ request: PodLogRequest) async throws -> AsyncThrowingStream<[UInt8], any Error> {
        var options = PodLogOptions(container: request.container)
        options.follow = request.follow
        options.previous = request.previous
        options.read = LogReadOptions(
            tailLines: request.tailLines,
            sinceTime: request.sinceTime.map { LogTimestamp(seconds: Int64($0.timeIntervalSince1970.rounded(.down))) },
            sinceSeconds: request.sinceSeconds, timestamps: request.timestamps, limitBytes: request.limitBytes)
        let agent = try slot.get()
        do {
            return try await agent.logs(
                namespace: request.namespace, pod: request.pod, uid: request.podUID.isEmpty ? nil : request.podUID,
                options: options)
        } catch let error as PodStreamError {
            throw Self.status(error)
        }
    }

    func exec(_ request: PodExecRequest) async throws -> any PodExecSession {
        let agent = try slot.get()
        do {
            let session = try await agent.exec(
                namespace: request.namespace, pod: request.pod, uid: request.podUID.isEmpty ? nil : request.podUID,
                container: request.container, command: request.command, stdin: request.stdin, tty: request.tty)
            return AgentExecRelay(session: session)
        } catch let error as PodStreamError {
            throw Self.status(error)
        }
    }

    static func status(_ error: PodStreamError) -> APIStatus {
        switch error {
        case .badRequest(let message): APIStatus.badRequest(message)
        case .notFound(let message): APIStatus(code: 404, reason: .notFound, message: message)
        }
    }
}

/// The agent's exec session in the shape the API server relays.
struct AgentExecRelay: PodExecSession {
    let session: AgentExecSession

    var output: AsyncStream<PodExecOutput> {
        let source = session.output
        return AsyncStream { continuation in
            let task = Task {
                for await (stream, bytes) in source {
                    continuation.yield(PodExecOutput(stream: stream == .stdout ? .stdout : .stderr, bytes: bytes))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func writeStdin(_ bytes: [UInt8]) async { session.writeStdin(bytes) }
    func closeStdin() async { session.closeStdin() }
    func resize(columns: UInt16, rows: UInt16) async { session.resize(columns: columns, rows: rows) }
    func wait() async -> Int32 { await session.wait() }
    func cancel() async { session.cancel() }
}
