import SkiffAPI

/// One event of a watch stream: `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` or `ERROR`.
public struct WatchEvent: Sendable, Equatable {
    public var type: String
    public var object: JSONValue
}

/// Splits a watch response body into events. The API server writes one JSON object per
/// event, newline-terminated, but chunks need not end on an event boundary, so bytes are
/// buffered and an event is cut where its top-level object closes (strings and escapes
/// are tracked so braces inside them do not count).
public struct WatchEventDecoder: Sendable {
    private var buffer: [UInt8] = []
    /// Scan state, kept across chunks so no byte is scanned twice.
    private var scanned = 0
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var start: Int?

    public init() {}

    /// Feeds a chunk and returns the events it completed.
    public mutating func feed(_ chunk: [UInt8]) throws(CtlError) -> [WatchEvent] {
        buffer += chunk
        var events: [WatchEvent] = []
        var consumed = 0
        while scanned < buffer.count {
            let byte = buffer[scanned]
            scanned += 1
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 0 { start = scanned - 1 }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0, let begin = start {
                    events.append(try Self.event(Array(buffer[begin..<scanned])))
                    consumed = scanned
                    start = nil
                }
            default:
                if depth == 0 { consumed = scanned }  // whitespace between events
            }
        }
        if consumed > 0 {
            buffer.removeFirst(consumed)
            scanned -= consumed
            if let begin = start { start = begin - consumed }
        }
        return events
    }

    private static func event(_ bytes: [UInt8]) throws(CtlError) -> WatchEvent {
        let json: JSONValue
        do {
            json = try JSONValue(jsonBytes: bytes)
        } catch {
            throw .message("unable to decode an event from the watch stream: \(error)")
        }
        return WatchEvent(type: json["type"].stringValue ?? "", object: json["object"])
    }
}

extension KubeSession {
    /// Opens a watch (`GET …?watch=true`) and yields its events until the server ends the
    /// stream or the task is cancelled; an `ERROR` event ends it with the server's Status.
    public func watch(
        _ path: String, query: [(String, String)], accept: String = KubeSession.jsonAccept,
        onEvent: (WatchEvent) async throws(CtlError) -> Bool
    ) async throws(CtlError) {
        let stream: (status: Int, headers: [(String, String)], body: AsyncThrowingStream<[UInt8], Error>)
        do {
            stream = try await transport.stream(path, query: query + [("watch", "true")], accept: accept)
        } catch {
            throw .connection(error)
        }
        if stream.status >= 400 {
            var body: [UInt8] = []
            do {
                for try await chunk in stream.body { body += chunk }
            } catch {}
            let status = APIResponse(status: stream.status, headers: stream.headers, body: body).statusError
            throw .server(status ?? APIStatus(code: stream.status, reason: .internalError, message: "watch failed"))
        }
        var decoder = WatchEventDecoder()
        do {
            for try await chunk in stream.body {
                for event in try decoder.feed(chunk) {
                    if event.type == "ERROR" {
                        let status = APIStatus(json: event.object)
                            ?? APIStatus(code: 500, reason: .internalError, message: event.object.serializedString())
                        throw CtlError.server(status)
                    }
                    if event.type == "BOOKMARK" { continue }
                    if try await !onEvent(event) { return }
                }
            }
        } catch let error as CtlError {
            throw error
        } catch let error as ClientError {
            throw .connection(error)
        } catch {
            throw .message("the watch stream failed: \(error)")
        }
    }
}

extension WatchEventDecoder {
    /// The events of a watch response body as a stream, for daemons that hold a
    /// watch open (the node agent, the proxy): it ends when the body does, and an
    /// ERROR event (410 Expired after compaction) ends it with `failure(status,
    /// object)`. Cancelling the consumer cancels the reading.
    public static func events(
        of body: AsyncThrowingStream<[UInt8], any Error>,
        failure: @escaping @Sendable (APIStatus?, JSONValue) -> any Error
    ) -> AsyncThrowingStream<WatchEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var decoder = WatchEventDecoder()
                do {
                    for try await chunk in body {
                        for event in try decoder.feed(chunk) {
                            if event.type == "ERROR" { throw failure(APIStatus(json: event.object), event.object) }
                            continuation.yield(event)
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
