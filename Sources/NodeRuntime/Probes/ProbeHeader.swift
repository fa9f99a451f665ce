/// One `httpGet.httpHeaders` entry. Repeated names are all sent, in order.
package struct ProbeHeader: Sendable, Equatable {
    package var name: String
    package var value: String

    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Go's textproto.CanonicalMIMEHeaderKey, which the kubelet applies when it
    /// builds the request (`x-token` → `X-Token`). Names with bytes outside the
    /// token set are left as they are, as Go leaves them.
    var canonicalName: String {
        let bytes = Array(name.utf8)
        let token = bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                || "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
        guard token, !bytes.isEmpty else { return name }
        var upper = true
        return String(decoding: bytes.map { byte -> UInt8 in
            defer { upper = byte == UInt8(ascii: "-") }
            if upper, byte >= 0x61, byte <= 0x7a { return byte - 32 }
            if !upper, byte >= 0x41, byte <= 0x5a { return byte + 32 }
            return byte
        }, as: UTF8.self)
    }
}
