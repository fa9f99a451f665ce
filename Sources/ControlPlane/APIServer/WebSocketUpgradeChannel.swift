import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// HTTP/1.1 with websocket upgrades (for `pods/exec`), where a request asking to
/// upgrade to anything else is still answered as a plain request.
///
/// NIO's upgrade handler drops a request whose `Upgrade` names no protocol it knows
/// (the connection then closes without a reply). kubectl's SPDY fallback for exec is
/// such a request, and its reply is where kubectl reads why the websocket was refused;
/// so `Upgrade` headers without `websocket` are removed before that handler sees them.
struct WebSocketUpgradeChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value

    let base: HTTP1WebSocketUpgradeChannel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try operations.addHandler(NonWebSocketUpgradeFilter(), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }

    static func builder(
        configuration: HTTP1WebSocketUpgradeChannel.Configuration,
        shouldUpgrade: @escaping @Sendable (HTTPRequest, any Channel, Logger) async throws
            -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>>
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            WebSocketUpgradeChannel(
                base: HTTP1WebSocketUpgradeChannel(
                    responder: responder, configuration: configuration, shouldUpgrade: shouldUpgrade))
        }
    }
}

/// Removes `Upgrade` from the connection's first request head when it does not ask
/// for `websocket`, then leaves the pipeline: only the first request can upgrade (the
/// upgrade handler removes itself after it), and after an upgrade the bytes that
/// follow are websocket frames, not HTTP parts.
private final class NonWebSocketUpgradeFilter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        let upgrade = head.headers["upgrade"]
        if !upgrade.isEmpty, !upgrade.contains(where: { $0.lowercased().contains("websocket") }) {
            head.headers.remove(name: "upgrade")
            context.fireChannelRead(wrapInboundOut(.head(head)))
        } else {
            context.fireChannelRead(data)
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
