import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOSSL
import WSClient

extension APIClient: ExecDialer {
    /// The websocket to the API server, trusting what the HTTPS client trusts (the
    /// kubeconfig's CA, or nothing checked when insecure) and sending its token.
    ///
    /// TLS server names cannot be IP addresses, and the websocket library names the
    /// server by the URL's host for both SNI and certificate checking; for a server
    /// dialled by address it names it `kubernetes` instead, a name every API server
    /// certificate carries (kube-apiserver, k3s and skiffd alike).
    public func openExec(
        path: String, query: [(String, String)], _ body: @escaping @Sendable (any ExecChannel) async throws -> Void
    ) async throws {
        var url = webSocketBaseURL + (path.hasPrefix("/") ? path : "/" + path)
        if !query.isEmpty { url += "?" + QueryString.encode(query) }
        var headers = HTTPFields()
        headers[.secWebSocketProtocol] = ExecFrame.subprotocol
        headers[.userAgent] = "skiff/\(Self.version)"
        if let token = settings.token, !token.isEmpty { headers[.authorization] = "Bearer \(token)" }
        var configuration = WebSocketClientConfiguration(
            maxFrameSize: 1 << 20, additionalHeaders: headers, closeTimeout: .seconds(5))
        if let host = URL(string: settings.server)?.host, Self.isIPAddress(host) {
            configuration.sniHostname = "kubernetes"
        }
        let tls = try Self.tlsConfiguration(settings)
        var logger = Logger(label: "skiff.exec")
        logger.logLevel = .critical
        do {
            try await WebSocketClient.connect(
                url: url, configuration: configuration, tlsConfiguration: tls, logger: logger
            ) { inbound, outbound, _ in
                try await body(WebSocketExecChannel(inbound: inbound, outbound: outbound))
            }
        } catch let error as WebSocketClientError where error == .webSocketUpgradeFailed {
            throw ExecDialError.upgradeRefused
        } catch let error as ClientError {
            throw error
        } catch let error as ExecDialError {
            throw error
        } catch {
            throw ClientError(transport: error, server: serverAddress)
        }
    }

    /// `wss://HOST:PORT` for the kubeconfig's `https://HOST:PORT`.
    private var webSocketBaseURL: String {
        var server = settings.server.trimmingCharacters(in: .whitespaces)
        if !server.contains("://") { server = "https://" + server }
        while server.hasSuffix("/") { server.removeLast() }
        if server.hasPrefix("https://") { return "wss://" + server.dropFirst("https://".count) }
        if server.hasPrefix("http://") { return "ws://" + server.dropFirst("http://".count) }
        return server
    }

    static func isIPAddress(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, bare, &v4) == 1 || inet_pton(AF_INET6, bare, &v6) == 1
    }
}

/// `ExecChannel` over a swift-websocket connection. The inbound iterator is used by
/// the single receiving task only (the protocol's contract), which is why it may sit
/// in this `Sendable` box.
private final class WebSocketExecChannel: ExecChannel, @unchecked Sendable {
    private var messages: WebSocketInboundMessageStream.AsyncIterator
    private let outbound: WebSocketOutboundWriter

    init(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) {
        self.messages = inbound.messages(maxSize: 1 << 24).makeAsyncIterator()
        self.outbound = outbound
    }

    func receive() async throws -> [UInt8]? {
        while let message = try await messages.next() {
            if case .binary(let buffer) = message { return Array(buffer.readableBytesView) }
        }
        return nil
    }

    func send(_ message: [UInt8]) async throws {
        try await outbound.write(.binary(ByteBuffer(bytes: message)))
    }
}
