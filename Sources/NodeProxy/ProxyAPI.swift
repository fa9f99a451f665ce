import SkiffAPI
import SkiffClient

/// A failed call to the API server: its Status code, or 0 when it did not answer.
package struct ProxyAPIError: Error, Sendable, CustomStringConvertible {
    package var code: Int
    package var message: String

    package var isGone: Bool { code == 410 }
    package var description: String { code == 0 ? message : "\(code): \(message)" }
}

/// The three verbs the proxy uses (list, watch, patch a status), over the
/// same HTTPS transport as `skiff`: a proxy on another node talks to the API
/// server exactly as the one inside `skiffd server` does.
struct ProxyAPI: Sendable {
    let transport: any APITransport
    /// No request but a watch may take longer: a lost one becomes an error
    /// and the caller's retry a fresh connection.
    static let requestTimeout: Duration = .seconds(20)
    /// Watches are ended by the server after this long and resumed, so a
    /// silently dead connection is noticed.
    static let watchTimeoutSeconds = 300

    func list(_ path: String) async throws(ProxyAPIError) -> (items: [JSONValue], resourceVersion: String) {
        let list = try await call("GET", path)
        return (list["items"].arrayValue ?? [], list["metadata"]["resourceVersion"].stringValue ?? "")
    }

    /// A JSON merge patch of `path` (a `/status` subresource).
    func mergePatch(_ path: String, _ patch: JSONValue) async throws(ProxyAPIError) {
        _ = try await call("PATCH", path, body: patch, contentType: "application/merge-patch+json")
    }

    /// Watch events after `resourceVersion` until the server ends the stream;
    /// an ERROR event (410 Expired) is thrown as a `ProxyAPIError`.
    func watch(_ path: String, resourceVersion: String) async throws(ProxyAPIError) -> AsyncThrowingStream<WatchEvent, any Error> {
        let query = [
            ("watch", "true"), ("resourceVersion", resourceVersion), ("allowWatchBookmarks", "true"),
            ("timeoutSeconds", "\(Self.watchTimeoutSeconds)"),
        ]
        let stream: (status: Int, headers: [(String, String)], body: AsyncThrowingStream<[UInt8], any Error>)
        do {
            stream = try await transport.stream(path, query: query, accept: "application/json")
        } catch {
            throw ProxyAPIError(code: 0, message: error.message)
        }
        if stream.status >= 400 {
            var bytes: [UInt8] = []
            do { for try await chunk in stream.body { bytes += chunk } } catch {}
            throw Self.failure(APIResponse(status: stream.status, headers: stream.headers, body: bytes))
        }
        return WatchEventDecoder.events(of: stream.body) { status, object in
            ProxyAPIError(code: status?.code ?? 500, message: status?.message ?? object.serializedString())
        }
    }

    private func call(_ method: String, _ path: String, body: JSONValue? = nil, contentType: String = "application/json")
        async throws(ProxyAPIError) -> JSONValue
    {
        let transport = self.transport
        let bytes = body?.serializedBytes()
        let type = body == nil ? nil : contentType
        let outcome: Result<APIResponse, ProxyAPIError>? = await withTaskGroup(of: Result<APIResponse, ProxyAPIError>?.self) { group in
            group.addTask {
                do {
                    return .success(try await transport.send(method, path, query: [], body: bytes, contentType: type, accept: "application/json"))
                } catch {
                    return .failure(ProxyAPIError(code: 0, message: "\(error)"))
                }
            }
            group.addTask {
                try? await Task.sleep(for: Self.requestTimeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        switch outcome {
        case .success(let response)?:
            guard response.status < 300 else { throw Self.failure(response) }
            do {
                return try JSONValue(jsonBytes: response.body)
            } catch {
                throw ProxyAPIError(code: response.status, message: "undecodable reply to \(method) \(path): \(error)")
            }
        case .failure(let error)?:
            throw error
        case nil:
            throw ProxyAPIError(code: 0, message: "\(method) \(path): no answer within \(Self.requestTimeout)")
        }
    }

    private static func failure(_ response: APIResponse) -> ProxyAPIError {
        let status = response.statusError
        return ProxyAPIError(
            code: response.status, message: status?.message ?? String(decoding: response.body.prefix(200), as: UTF8.self))
    }
}
