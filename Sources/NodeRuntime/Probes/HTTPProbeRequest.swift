/// The GET a kubelet HTTP probe sends, built as the kubelet builds it:
/// `User-Agent: kube-probe/<major.minor>` and `Accept: */*` unless the pod sets
/// them (an empty `Accept` removes it), a `Host` header from the pod replacing
/// the URL's host, and `Connection: close` (its transport keeps no connections).
struct HTTPProbeRequest {
    /// `http://10.42.0.5:8080/healthz`, as the kubelet's messages quote it.
    let url: String
    let bytes: [UInt8]

    init(hostPort: String, path: String, headers: [ProbeHeader], userAgent: String) throws {
        let target = try Self.requestTarget(path)
        url = "http://\(hostPort)\(target)"
        var fields: [(String, String)] = headers.map { ($0.canonicalName, $0.value) }
        for (name, value) in fields {
            guard Self.isValidValue(value) else {
                throw ProbeFailureText("Get \"\(url)\": net/http: invalid header field value for \"\(name)\"")
            }
        }
        let host = fields.first { $0.0 == "Host" }?.1
        fields.removeAll { $0.0 == "Host" }
        if !fields.contains(where: { $0.0 == "User-Agent" }) { fields.insert(("User-Agent", userAgent), at: 0) }
        if !fields.contains(where: { $0.0 == "Accept" }) {
            fields.append(("Accept", "*/*"))
        } else if fields.first(where: { $0.0 == "Accept" })?.1 == "" {
            fields.removeAll { $0.0 == "Accept" }
        }
        fields.removeAll { $0.0 == "Connection" }
        var text = "GET \(target) HTTP/1.1\r\nHost: \(host.flatMap { $0.isEmpty ? nil : $0 } ?? hostPort)\r\n"
        for (name, value) in fields where !(name == "User-Agent" && value.isEmpty) {
            text += "\(name): \(value)\r\n"
        }
        text += "Connection: close\r\n\r\n"
        bytes = Array(text.utf8)
    }

    /// The probe's `path` as a request target: a leading `/` added, and bytes a
    /// request line cannot carry (spaces, controls, non-ASCII) percent-encoded.
    static func requestTarget(_ path: String) throws -> String {
        var target = path.hasPrefix("/") ? "" : "/"
        for byte in path.utf8 {
            if byte <= 0x20 || byte >= 0x7f || "\"<>\\^`{|}".utf8.contains(byte) {
                let hex = Array("0123456789ABCDEF".utf8)
                target += String(decoding: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]], as: UTF8.self)
            } else {
                target.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return target
    }

    /// No CR, LF or NUL: a value must not be able to start a new header line.
    private static func isValidValue(_ value: String) -> Bool {
        !value.utf8.contains { $0 == 0x0d || $0 == 0x0a || $0 == 0 }
    }
}
