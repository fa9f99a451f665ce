import HummingbirdWebSocket
import Logging
import NIOCore
import SkiffAPI

/// One upgraded `pods/exec` connection: starts the process on the node, then copies
/// the client's stdin and resizes to it and its output to the client until the
/// process ends, and finishes with the exit status on channel 3. The websocket
/// layer sends the close frame when `run` returns. A client that goes away first
/// gets its process killed.
struct PodExecRelay: Sendable {
    /// Largest message read from the client (kubectl writes stdin in 32 KiB pieces).
    static let maxMessageBytes = 1 << 20
    static let firstWriteDelay: Duration = .milliseconds(20)

    let plan: PodExecPlan
    let streamProtocol: WebSocketStreamProtocol
    let logger: Logger

    private enum Ending: Sendable {
        case processExited
        case clientLeft
        case closeGraceOver
    }

    /// After the status, how long the client may take to close the connection
    /// itself (kubectl and `skiff exec` do once they have read the status). A
    /// close frame of ours that arrives together with the last frames lets the
    /// swift-websocket client end its stream before it delivered them.
    static let closeGrace: Duration = .seconds(2)

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        // swift-nio's client upgrade handler (2.101) can drop websocket frames that
        // arrive in the same read as the 101 response, which `skiff exec` (built on
        // it) would then never see; a moment between the two keeps them apart.
        // kubectl does not need it, and 20 ms is nothing next to starting a process.
        try? await Task.sleep(for: Self.firstWriteDelay)
        let session: any PodExecSession
        do {
            session = try await plan.node.exec(plan.request)
        } catch {
            logger.debug("exec did not start", metadata: ["pod": "\(plan.request.pod)", "error": "\(error)"])
            try await send(WebSocketStreamProtocol.status, PodExecStatus.failed(error).serializedBytes(), outbound)
            return
        }
        let request = plan.request
        let ending = await withTaskGroup(of: Ending.self) { group in
            group.addTask {
                await Self.forwardInput(inbound, to: session, protocol: streamProtocol, stdin: request.stdin)
                return .clientLeft
            }
            group.addTask {
                do {
                    for await chunk in session.output {
                        try await send(chunk.stream.rawValue, chunk.bytes, outbound)
                    }
                    let code = await session.wait()
                    try await send(
                        WebSocketStreamProtocol.status,
                        PodExecStatus.exited(code, command: request.command).serializedBytes(), outbound)
                    return .processExited
                } catch {
                    // The connection broke under the writes.
                    return .clientLeft
                }
            }
            let first = await group.next() ?? .clientLeft
            if case .processExited = first {
                group.addTask {
                    try? await Task.sleep(for: Self.closeGrace)
                    return .closeGraceOver
                }
                _ = await group.next()
            }
            group.cancelAll()
            return first
        }
        if case .clientLeft = ending {
            logger.debug("exec client went away; killing the process", metadata: ["pod": "\(request.pod)"])
            await session.cancel()
        }
    }

    private func send(_ channel: UInt8, _ payload: [UInt8], _ outbound: WebSocketOutboundWriter) async throws {
        try await outbound.write(.binary(ByteBuffer(bytes: WebSocketStreamProtocol.frame(channel, payload))))
    }

    /// Reads the client's messages until it closes the connection (or the relay is
    /// cancelled because the process ended). Stdin closes when the client says so
    /// (v5) and, at the latest, when the connection ends.
    private static func forwardInput(
        _ inbound: WebSocketInboundStream, to session: any PodExecSession, protocol streamProtocol: WebSocketStreamProtocol,
        stdin: Bool
    ) async {
        var stdinOpen = stdin
        do {
            for try await message in inbound.messages(maxSize: maxMessageBytes) {
                guard case .binary(let buffer) = message else { continue }
                switch streamProtocol.decode(Array(buffer.readableBytesView)) {
                case .stdin(let bytes):
                    if stdinOpen, !bytes.isEmpty { await session.writeStdin(bytes) }
                case .closeStdin:
                    if stdinOpen {
                        stdinOpen = false
                        await session.closeStdin()
                    }
                case .resize(let columns, let rows):
                    await session.resize(columns: columns, rows: rows)
                case .ignored:
                    continue
                }
            }
        } catch {}
        if stdinOpen, !Task.isCancelled { await session.closeStdin() }
    }
}
