import Foundation
import SkiffAPI

extension ResourceHandler {
    /// `GET …/pods/NAME/log`: validates the options, resolves the container, and
    /// relays the node's log bytes as `text/plain`, whole, or chunk by chunk with
    /// `follow` until the node's stream ends or the client goes away.
    func logs(_ request: APIRequest, _ scope: Scope, name: String) async throws(APIStatus) -> APIReply {
        let query = try PodLogQuery(request.query)
        try query.validate(pod: name)
        let pod = try await store.require(scope.resource, namespace: scope.namespace, name: name)
        let target = try PodStreamingTarget(pod: pod, container: query.container)
        // kube-apiserver has no kubelet to ask for an unscheduled pod and answers
        // with an empty body rather than an error.
        guard !target.nodeName.isEmpty else { return .bytes(status: 200, body: [], contentType: Self.logContentType) }
        guard let podStreaming else { throw PodStreamingTarget.noNodeAgent(pod: name, node: target.nodeName) }
        let logRequest = query.request(namespace: scope.namespace ?? "", target: target)
        let source: AsyncThrowingStream<[UInt8], any Error>
        do {
            source = try await podStreaming.logs(logRequest)
        } catch {
            throw Self.nodeStatus(error)
        }
        let limit = query.limitBytes.map { Int(clamping: $0) }
        guard query.follow else {
            return .bytes(status: 200, body: await Self.collect(source, limit: limit), contentType: Self.logContentType)
        }
        let (body, stop) = relay(source, limit: limit)
        return .stream(contentType: Self.logContentType, body: body, cancel: stop)
    }

    static let logContentType = "text/plain"

    /// A node failure as the client sees it: an `APIStatus` as thrown, anything else a 500.
    static func nodeStatus(_ error: any Error) -> APIStatus {
        if let status = error as? APIStatus { return status }
        return .internalError("\(error)")
    }

    /// Everything the node sends, at most `limit` bytes; a failure part way keeps
    /// what arrived (the status line is already sent when kubelet proxies fail).
    private static func collect(_ source: AsyncThrowingStream<[UInt8], any Error>, limit: Int?) async -> [UInt8] {
        var body: [UInt8] = []
        do {
            for try await chunk in source {
                body += chunk
                if let limit, body.count >= limit {
                    body.removeLast(body.count - limit)
                    break
                }
            }
        } catch {}
        return body
    }

    /// Pumps the node's stream into the response. The stop function (called by the
    /// responder however the response ends, and by server shutdown) cancels the pump,
    /// which ends the node's stream through its own cancellation.
    private func relay(_ source: AsyncThrowingStream<[UInt8], any Error>, limit: Int?)
        -> (AsyncStream<[UInt8]>, @Sendable () -> Void)
    {
        let (output, continuation) = AsyncStream<[UInt8]>.makeStream()
        let pump = Task {
            var remaining = limit ?? Int.max
            do {
                for try await chunk in source {
                    guard remaining > 0 else { break }
                    let part = chunk.count > remaining ? Array(chunk.prefix(remaining)) : chunk
                    remaining -= part.count
                    continuation.yield(part)
                    if remaining == 0 { break }
                }
            } catch {}
            continuation.finish()
        }
        let stop: @Sendable () -> Void = {
            pump.cancel()
            continuation.finish()
        }
        let registration = watches.add(stop)
        let watches = self.watches
        continuation.onTermination = { _ in
            pump.cancel()
            watches.remove(registration)
        }
        return (output, stop)
    }
}
