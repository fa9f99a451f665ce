import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// An HTTPS connection pool to one API server, authenticating every request as the
/// kubeconfig's user.
///
/// The server's certificate is trusted only when it chains to the kubeconfig's CA (not
/// the system roots), unless `insecure-skip-tls-verify` is set. Connecting times out
/// after 5 seconds; reading never does, since a watch or `logs -f` may stay silent for
/// as long as nothing happens. Connection failures are not retried, so that an
/// unreachable server is reported at once, as kubectl does.
public final class APIClient: Sendable {
    /// Sent as `User-Agent: skiff/<version> (<os>/<arch>)`.
    public static let version = "0.1.0"

    let settings: ConnectionSettings
    private let client: HTTPClient
    /// The server URL without a trailing slash; paths are appended to it.
    private let baseURL: String
    /// `HOST:PORT` as kubectl names the server in errors.
    let serverAddress: String
    private let userAgent: String

    public init(settings: ConnectionSettings) throws(ClientError) {
        var server = settings.server.trimmingCharacters(in: .whitespaces)
        if !server.contains("://") { server = "https://" + server }
        while server.hasSuffix("/") { server.removeLast() }
        guard let url = URL(string: server), let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http",
            let host = url.host, !host.isEmpty
        else {
            throw ClientError(.invalidRequest, "invalid server URL \"\(settings.server)\": expected https://HOST:PORT")
        }
        self.settings = settings
        self.baseURL = server
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        self.serverAddress = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        self.userAgent = "skiff/\(Self.version) (\(Self.platform))"

        var configuration = HTTPClient.Configuration(
            tlsConfiguration: try Self.tlsConfiguration(settings),
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: nil),
            decompression: .disabled)
        configuration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// One request; returns status, headers and the whole body. `path` is sent as given
    /// (already escaped); `query` keeps its order and repeated keys.
    public func send(
        _ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
        contentType: String? = nil, accept: String = "application/json"
    ) async throws(ClientError) -> APIResponse {
        let request = makeRequest(method, path, query: query, body: body, contentType: contentType, accept: accept)
        do {
            let response = try await client.execute(request, deadline: .distantFuture)
            var collected: [UInt8] = []
            for try await buffer in response.body {
                collected.append(contentsOf: buffer.readableBytesView)
            }
            return APIResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: collected)
        } catch {
            throw ClientError(transport: error, server: serverAddress)
        }
    }

    /// A streaming GET (watch, `logs -f`): returns once the response head arrives; the
    /// body yields raw chunks as they arrive, until the server ends the response or the
    /// consuming task is cancelled (which closes the connection). Chunks are read only as
    /// the consumer asks for them, so a slow reader slows the server rather than growing
    /// memory. Iterate the body from one task only.
    public func stream(_ path: String, query: [(String, String)], accept: String) async throws(ClientError) -> (
        status: Int, headers: [(String, String)], body: AsyncThrowingStream<[UInt8], Error>
    ) {
        let request = makeRequest("GET", path, query: query, body: nil, contentType: nil, accept: accept)
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, deadline: .distantFuture)
        } catch {
            throw ClientError(transport: error, server: serverAddress)
        }
        let reader = BodyReader(response.body.makeAsyncIterator(), server: serverAddress)
        let body = AsyncThrowingStream<[UInt8], Error> { try await reader.next() }
        return (Int(response.status.code), response.headers.map { ($0.name, $0.value) }, body)
    }

    /// Closes every connection; the client cannot be used afterwards.
    public func shutdown() async {
        try? await client.shutdown()
    }

    /// A client dropped without `shutdown()` still closes its connections, instead of
    /// leaking them (and tripping AsyncHTTPClient's debug assertion). After `shutdown()`
    /// this second call only fails quietly.
    deinit {
        _ = client.shutdown()
    }

    private func makeRequest(
        _ method: String, _ path: String, query: [(String, String)], body: [UInt8]?, contentType: String?,
        accept: String
    ) -> HTTPClientRequest {
        var url = baseURL + (path.hasPrefix("/") ? path : "/" + path)
        if !query.isEmpty { url += "?" + QueryString.encode(query) }
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method.uppercased())
        request.headers.add(name: "User-Agent", value: userAgent)
        request.headers.add(name: "Accept", value: accept)
        if let token = settings.token, !token.isEmpty {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType ?? "application/json")
            request.body = .bytes(body)
        }
        return request
    }

    /// TLS trusting only the kubeconfig's CA (or nothing checked when insecure), TLS 1.2+.
    static func tlsConfiguration(_ settings: ConnectionSettings) throws(ClientError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        // Closing waits for the server's close_notify at most this long (NIOSSL's default is
        // 5 s). HTTP framing already told us where every body ends, so the wait buys
        // nothing, and a server that never answers would stall `shutdown()`.
        tls.shutdownTimeout = .milliseconds(500)
        if settings.insecureSkipTLSVerify {
            tls.certificateVerification = .none
        } else if let caPEM = settings.caPEM {
            do {
                let roots = try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8))
                guard !roots.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
                tls.trustRoots = .certificates(roots)
            } catch {
                throw ClientError(
                    .kubeconfig, "unable to load root certificates: the certificate authority is not valid PEM")
            }
        }
        if let certificatePEM = settings.clientCertificatePEM, let keyPEM = settings.clientKeyPEM {
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8))
                    .map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem))
            } catch {
                throw ClientError(.kubeconfig, "unable to load the client certificate and key: \(error)")
            }
        }
        return tls
    }

    private static var platform: String {
        #if os(Linux)
            let os = "linux"
        #else
            let os = "darwin"
        #endif
        #if arch(x86_64)
            let arch = "amd64"
        #elseif arch(arm64)
            let arch = "arm64"
        #else
            let arch = "unknown"
        #endif
        return "\(os)/\(arch)"
    }
}

/// Pulls a response body one chunk per `next()`, so the stream handed to callers has
/// backpressure. The stream's unfolding closure is the only caller and never calls
/// concurrently with itself (one consumer, see `APIClient.stream`), which is why the
/// mutable iterator may sit in a `Sendable` box.
private final class BodyReader: @unchecked Sendable {
    /// Dropped at the end or on cancellation: releasing it is what makes
    /// AsyncHTTPClient cancel the request and close the connection at once, rather than
    /// when the caller happens to release the stream.
    private var iterator: HTTPClientResponse.Body.AsyncIterator?
    private let server: String

    init(_ iterator: HTTPClientResponse.Body.AsyncIterator, server: String) {
        self.iterator = iterator
        self.server = server
    }

    /// The next chunk; nil at the end of the body or once the consumer is cancelled.
    func next() async throws -> [UInt8]? {
        guard var current = iterator else { return nil }
        iterator = nil
        do {
            guard let buffer = try await current.next(), !Task.isCancelled else { return nil }
            iterator = current
            return Array(buffer.readableBytesView)
        } catch {
            if Task.isCancelled || error is CancellationError { return nil }
            throw ClientError(transport: error, server: server)
        }
    }
}
