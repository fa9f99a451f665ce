import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import SkiffAPI

/// Decides, from the request head alone, whether a websocket upgrade request is a
/// `pods/exec` the server will serve; if so the connection becomes a `PodExecRelay`.
///
/// Anything refused here (bad token, other path, unknown protocol, pod or container
/// errors) gets the websocket library's empty 400 and the connection closes. kubectl
/// then retries the same exec as a plain (SPDY) request, which reaches
/// `ResourceHandler.execWithoutUpgrade` and gets the real error as a Status, so it
/// prints what it prints against kube-apiserver.
struct PodExecUpgrade: Sendable {
    typealias Handler = WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>

    let resources: ResourceHandler
    let authenticator: Authenticator
    let metrics: APIMetrics

    func shouldUpgrade(_ head: HTTPRequest, logger: Logger) async -> ShouldUpgradeResult<Handler> {
        let started = ContinuousClock.now
        let rawPath = head.path ?? "/"
        let parts = rawPath.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts.first ?? "")
        let query = parts.count > 1 ? APIResponder.parseQuery(String(parts[1])) : []
        guard authenticator.allows(path: path, authorization: head.headerFields[.authorization]) else {
            return refuse(logger, started, code: 401, "unauthorized")
        }
        guard case .resource(let target) = RequestTarget(path: path), target.group == "", target.version == "v1",
            target.plural == "pods", target.subresource == "exec", let name = target.name,
            let namespace = target.namespace, head.method == .get || head.method == .post
        else {
            return refuse(logger, started, code: 400, "not a pods/exec request: \(path)")
        }
        guard let streamProtocol = WebSocketStreamProtocol.negotiate(head.headerFields[values: .secWebSocketProtocol])
        else {
            return refuse(logger, started, code: 400, "no supported subprotocol offered")
        }
        let plan: PodExecPlan
        do {
            plan = try await resources.execPlan(query, namespace: namespace, name: name)
        } catch {
            return refuse(logger, started, code: error.code, error.message)
        }
        metrics.recordRequest(verb: "connect", resource: "pods", code: 101, duration: ContinuousClock.now - started)
        let relay = PodExecRelay(plan: plan, streamProtocol: streamProtocol, logger: logger)
        return .upgrade([.secWebSocketProtocol: streamProtocol.rawValue]) { inbound, outbound, _ in
            try await relay.run(inbound: inbound, outbound: outbound)
        }
    }

    private func refuse(_ logger: Logger, _ started: ContinuousClock.Instant, code: Int, _ reason: String)
        -> ShouldUpgradeResult<Handler>
    {
        logger.debug("websocket upgrade refused", metadata: ["reason": "\(reason)"])
        metrics.recordRequest(verb: "connect", resource: "pods", code: code, duration: ContinuousClock.now - started)
        return .dontUpgrade
    }
}
