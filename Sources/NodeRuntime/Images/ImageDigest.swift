/// A content digest, `sha256:<64 lowercase hex>`.
///
/// Only sha256 is accepted: it is what every image producer writes, and the
/// hex is used verbatim as a file name under `blobs/sha256/` and `layers/`, so
/// it must be validated before it ever reaches a path.
package struct ImageDigest: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The 64 lowercase hex characters after `sha256:`.
    package let hex: String

    /// Accepts exactly 64 lowercase hex characters.
    package init(hex: String) throws {
        guard ImageDigest.isSHA256Hex(hex) else {
            throw RuntimeError("invalid sha256 digest \"\(hex)\": want 64 lowercase hex characters")
        }
        self.hex = hex
    }

    /// Parses `sha256:<hex>`, naming the offending value on failure.
    package init(parsing text: String) throws {
        guard let colon = text.firstIndex(of: ":") else {
            throw RuntimeError("invalid digest \"\(text)\": want sha256:<64 hex characters>")
        }
        let algorithm = text[..<colon]
        guard algorithm == "sha256" else {
            throw RuntimeError("unsupported digest \"\(text)\": only sha256 is supported")
        }
        let hex = String(text[text.index(after: colon)...])
        guard ImageDigest.isSHA256Hex(hex) else {
            throw RuntimeError("invalid digest \"\(text)\": want sha256:<64 lowercase hex characters>")
        }
        self.hex = hex
    }

    /// For digests computed locally, whose hex is well-formed by construction.
    init(computedHex hex: String) {
        self.hex = hex
    }

    package var description: String { "sha256:\(hex)" }

    /// `sha256:0123456789ab…`, for error messages that name a blob.
    package var short: String { "sha256:\(hex.prefix(12))…" }

    package static func < (lhs: ImageDigest, rhs: ImageDigest) -> Bool { lhs.hex < rhs.hex }

    package static func isSHA256Hex<S: StringProtocol>(_ text: S) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(parsing: container.decode(String.self))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
