/// The two calls the ctl commands make to an API server, as `APIClient` offers them.
///
/// Commands take this rather than `APIClient` so that their request sequences (GET, then
/// POST or PATCH; watch until done) can be tested against a scripted fake.
public protocol APITransport: Sendable {
    func send(
        _ method: String, _ path: String, query: [(String, String)], body: [UInt8]?, contentType: String?,
        accept: String
    ) async throws(ClientError) -> APIResponse

    func stream(_ path: String, query: [(String, String)], accept: String) async throws(ClientError) -> (
        status: Int, headers: [(String, String)], body: AsyncThrowingStream<[UInt8], Error>
    )
}

extension APIClient: APITransport {}
