/// An image reference normalised the way Docker does it, so that
/// `busybox`, `library/busybox:latest` and `docker.io/library/busybox:latest`
/// all name the same stored image.
///
/// Grammar (distribution/reference): `[domain/]path[:tag][@digest]`, where the
/// first component is a domain only if it contains `.` or `:`, is `localhost`,
/// or has upper-case letters; otherwise the domain is `docker.io`, and a
/// single-component path on `docker.io` gets the `library/` prefix. A
/// reference with neither tag nor digest gets the tag `latest`.
package struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    package static let defaultDomain = "docker.io"
    package static let defaultTag = "latest"

    /// Registry host, e.g. `docker.io` or `localhost:5000`.
    package let domain: String
    /// Repository path below the domain, e.g. `library/busybox`.
    package let path: String
    /// Tag, nil for a digest-only reference.
    package let tag: String?
    /// Manifest digest for `name@sha256:…` references.
    package let digest: ImageDigest?

    /// Parses and normalises `text`; a `RuntimeError` names the reference and
    /// what is wrong with it.
    package init(parsing text: String) throws {
        func invalid(_ why: String) -> RuntimeError {
            RuntimeError("invalid image reference \"\(text)\": \(why)")
        }
        guard !text.isEmpty else { throw invalid("reference is empty") }
        var rest = Substring(text)

        var digest: ImageDigest?
        if let at = rest.firstIndex(of: "@") {
            do {
                digest = try ImageDigest(parsing: String(rest[rest.index(after: at)...]))
            } catch let error as RuntimeError {
                throw invalid(error.message)
            }
            rest = rest[..<at]
        }

        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            let candidate = String(rest[rest.index(after: colon)...])
            guard ImageReference.isValidTag(candidate) else {
                throw invalid("tag \"\(candidate)\" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
            }
            tag = candidate
            rest = rest[..<colon]
        }

        var domain = ImageReference.defaultDomain
        var path = String(rest)
        if let slash = rest.firstIndex(of: "/") {
            let first = rest[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost" || first.contains(where: \.isUppercase) {
                guard ImageReference.isValidDomain(first) else {
                    throw invalid("registry \"\(first)\" is not a valid host[:port]")
                }
                domain = first == "index.docker.io" ? ImageReference.defaultDomain : String(first)
                path = String(rest[rest.index(after: slash)...])
            }
        }
        guard !path.isEmpty else { throw invalid("repository name is empty") }
        // Docker reserves bare 64-hex names for image ids.
        if ImageDigest.isSHA256Hex(path) {
            throw invalid("a 64-character hex string is an image id, not a repository name")
        }
        if path.contains(where: \.isUppercase) {
            throw invalid("repository name \"\(path)\" must be lowercase")
        }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            guard ImageReference.isValidPathComponent(component) else {
                throw invalid("repository name component \"\(component)\" must be lowercase letters and digits separated by '.', '_', '__' or '-'")
            }
        }
        if domain == ImageReference.defaultDomain && !path.contains("/") {
            path = "library/" + path
        }
        guard domain.utf8.count + 1 + path.utf8.count <= 255 else {
            throw invalid("repository name is longer than 255 characters")
        }
        if tag == nil && digest == nil { tag = ImageReference.defaultTag }

        self.domain = domain
        self.path = path
        self.tag = tag
        self.digest = digest
    }

    /// `domain/path`, e.g. `docker.io/library/busybox`.
    package var repository: String { "\(domain)/\(path)" }

    /// Fully normalised form: `docker.io/library/busybox:latest`.
    package var description: String {
        var text = repository
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    /// The short form Docker prints: `busybox:latest`, `mengsixing/notepad:new`.
    package var familiar: String {
        var name = repository
        if domain == ImageReference.defaultDomain {
            name = path.hasPrefix("library/") && path.split(separator: "/").count == 2
                ? String(path.dropFirst("library/".count)) : path
        }
        if let tag { name += ":\(tag)" }
        if let digest { name += "@\(digest)" }
        return name
    }

    /// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    package static func isValidTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        guard let first = bytes.first, bytes.count <= 128, isWordByte(first) else { return false }
        return bytes.dropFirst().allSatisfy { isWordByte($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// `[a-z0-9]+` runs joined by `.`, `_`, `__` or one or more `-`.
    private static func isValidPathComponent(_ component: Substring) -> Bool {
        let bytes = Array(component.utf8)
        guard let first = bytes.first, let last = bytes.last, isLowerAlnum(first), isLowerAlnum(last) else { return false }
        var separator: [UInt8] = []
        for byte in bytes {
            if isLowerAlnum(byte) {
                if !separator.isEmpty && !isValidSeparator(separator) { return false }
                separator.removeAll()
            } else {
                separator.append(byte)
            }
        }
        return true
    }

    private static func isValidSeparator(_ separator: [UInt8]) -> Bool {
        let text = String(decoding: separator, as: UTF8.self)
        return text == "." || text == "_" || text == "__" || separator.allSatisfy { $0 == UInt8(ascii: "-") }
    }

    /// `host[:port]`, host being DNS labels or a bracketed IPv6 address.
    private static func isValidDomain(_ domain: Substring) -> Bool {
        var host = domain
        if let colon = domain.lastIndex(of: ":"), !domain[colon...].contains("]") {
            let port = domain[domain.index(after: colon)...]
            guard !port.isEmpty, port.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            host = domain[..<colon]
        }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { return false }
            return host.dropFirst().dropLast().utf8.allSatisfy { isHexByte($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }
        }
        guard !host.isEmpty else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            let bytes = Array(label.utf8)
            guard let first = bytes.first, let last = bytes.last, isAlnum(first), isAlnum(last) else { return false }
            return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") }
        }
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39)
    }

    private static func isAlnum(_ byte: UInt8) -> Bool {
        isLowerAlnum(byte) || (byte >= 0x41 && byte <= 0x5a)
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        isAlnum(byte) || byte == UInt8(ascii: "_")
    }

    private static func isHexByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)
    }
}
