/// The status line and headers of a probe's response.
struct HTTPProbeResponseHead {
    let statusCode: Int
    /// Names lowercased, in arrival order.
    let headers: [(name: String, value: String)]

    func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }
}

/// Reads one HTTP/1.x response from a probe connection: the head in full
/// (up to Go's 1 MiB header limit), then at most `limit` bytes of body, as
/// the kubelet reads at most 10 KiB and drops the rest with the connection.
struct HTTPProbeResponseReader {
    static let maxHeadBytes = 1 << 20

    let connection: ProbeConnection
    let deadline: ProbeDeadline
    private var buffer: [UInt8] = []
    private var received = 0

    init(connection: ProbeConnection, deadline: ProbeDeadline) {
        self.connection = connection
        self.deadline = deadline
    }

    /// The final response head; informational 1xx responses are skipped as Go skips them.
    mutating func readHead() throws -> HTTPProbeResponseHead {
        while true {
            let head = try readOneHead()
            if head.statusCode >= 100 && head.statusCode < 200 && head.statusCode != 101 { continue }
            return head
        }
    }

    /// Up to `limit` bytes of the body (de-chunked), stopping early at its end.
    mutating func readBody(_ head: HTTPProbeResponseHead, limit: Int) throws -> [UInt8] {
        if head.statusCode == 204 || head.statusCode == 304 { return [] }
        if head.header("transfer-encoding")?.lowercased().contains("chunked") == true {
            return try readChunked(limit: limit)
        }
        let length = head.header("content-length").flatMap { Int($0.trimmingSpaces) }
        let wanted = min(length ?? Int.max, limit)
        var body: [UInt8] = []
        while body.count < wanted {
            if buffer.isEmpty, try !fill() { break }
            let take = min(wanted - body.count, buffer.count)
            body += buffer.prefix(take)
            buffer.removeFirst(take)
        }
        return body
    }

    private mutating func readOneHead() throws -> HTTPProbeResponseHead {
        guard let statusLine = try readLine(atStart: true) else { throw HTTPProbeResponseError.endOfStream }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3,
              let code = Int(parts[1]), code >= 100
        else { throw HTTPProbeResponseError.malformed(statusLine) }
        var headers: [(name: String, value: String)] = []
        while true {
            guard let line = try readLine(atStart: false) else { throw HTTPProbeResponseError.unexpectedEndOfStream }
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw HTTPProbeResponseError.malformedHeader(line) }
            headers.append((String(line[..<colon]).lowercased(), String(line[line.index(after: colon)...]).trimmingSpaces))
        }
        return HTTPProbeResponseHead(statusCode: code, headers: headers)
    }

    private mutating func readChunked(limit: Int) throws -> [UInt8] {
        var body: [UInt8] = []
        while body.count < limit {
            guard let sizeLine = try readLine(atStart: false) else { throw HTTPProbeResponseError.unexpectedEndOfStream }
            let digits = sizeLine.prefix { $0 != ";" }.trimmingSpaces
            guard let size = Int(digits, radix: 16), size >= 0 else { throw HTTPProbeResponseError.badChunk }
            if size == 0 { break }
            var remaining = size
            while remaining > 0 && body.count < limit {
                if buffer.isEmpty, try !fill() { throw HTTPProbeResponseError.unexpectedEndOfStream }
                let take = min(remaining, buffer.count, limit - body.count)
                body += buffer.prefix(take)
                buffer.removeFirst(take)
                remaining -= take
            }
            if remaining > 0 { break } // limit reached inside a chunk
            _ = try readLine(atStart: false) // the CRLF after the chunk data
        }
        return body
    }

    /// One line without its CR LF; nil at end of stream (an error unless nothing
    /// at all arrived, which Go reports as plain EOF).
    private mutating func readLine(atStart: Bool) throws -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = buffer[..<newline]
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                buffer.removeFirst(newline + 1)
                return String(decoding: line, as: UTF8.self)
            }
            guard received <= Self.maxHeadBytes else { throw HTTPProbeResponseError.headTooLarge }
            if try !fill() {
                if buffer.isEmpty && atStart { return nil }
                throw HTTPProbeResponseError.unexpectedEndOfStream
            }
        }
    }

    /// Appends what the socket has; false at end of stream.
    private mutating func fill() throws -> Bool {
        let bytes = try connection.receive(limit: 16 * 1024, deadline: deadline)
        received += bytes.count
        buffer += bytes
        return !bytes.isEmpty
    }
}

/// A response the probe could not read, with Go's net/http wording.
enum HTTPProbeResponseError: Error {
    case endOfStream
    case unexpectedEndOfStream
    case malformed(String)
    case malformedHeader(String)
    case badChunk
    case headTooLarge

    var text: String {
        switch self {
        case .endOfStream: "EOF"
        case .unexpectedEndOfStream: "unexpected EOF"
        case .malformed(let line):
            "net/http: HTTP/1.x transport connection broken: malformed HTTP response \(goQuoted(line))"
        case .malformedHeader(let line):
            "net/http: HTTP/1.x transport connection broken: malformed MIME header line: \(line)"
        case .badChunk: "invalid byte in chunk length"
        case .headTooLarge:
            "net/http: HTTP/1.x transport connection broken: server response headers exceeded \(HTTPProbeResponseReader.maxHeadBytes) bytes; aborted"
        }
    }
}

/// Go's %q for the ASCII text that shows up in these messages.
func goQuoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\t": result += "\\t"
        case "\r": result += "\\r"
        case "\n": result += "\\n"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7f {
                let hex = String(scalar.value, radix: 16)
                result += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (header values, chunk sizes).
    fileprivate var trimmingSpaces: String {
        let bytes = Array(utf8)
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
              let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
