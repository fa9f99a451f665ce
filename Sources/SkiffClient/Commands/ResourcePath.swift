import SkiffAPI

extension ResourceKind {
    /// The URL of the collection (`/apis/apps/v1/namespaces/default/deployments`), or of one
    /// object and its subresource. A nil namespace on a namespaced kind lists across all
    /// namespaces (`-A`); cluster-scoped kinds ignore it.
    public func path(namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace { path += "/namespaces/\(Self.escape(namespace))" }
        path += "/\(plural)"
        if let name { path += "/\(Self.escape(name))" }
        if let subresource { path += "/\(subresource)" }
        return path
    }

    /// `deployment.apps` or `service`: how kubectl names the kind in `deployment.apps/notepad`
    /// and `deployment.apps "notepad" deleted`.
    public var displayKind: String {
        group.isEmpty ? kind.lowercased() : "\(kind.lowercased()).\(group)"
    }

    /// Names are DNS labels or subdomains, but a mistyped one must still make a valid URL.
    private static func escape(_ segment: String) -> String {
        var result = ""
        for byte in segment.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: "@"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                result += "%"
                result.unicodeScalars.append(hex[Int(byte >> 4)])
                result.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return result
    }
}
