/// A JSON pointer (RFC 6901) as JSON patch paths use it: `/metadata/annotations`,
/// with `~1` for `/` and `~0` for `~` inside a token.
struct JSONPointer: Hashable, Sendable {
    /// The decoded reference tokens; empty for the whole document (`""`).
    var tokens: [String]

    /// Nil unless the text is empty or starts with `/`.
    init?(_ text: String) {
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else { return nil }
        tokens = text.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            Self.decode(String($0))
        }
    }

    /// Decodes in one left-to-right pass, so `~01` becomes `~1` and not `/`.
    static func decode(_ token: String) -> String {
        guard token.contains("~") else { return token }
        var result = ""
        var iterator = token.makeIterator()
        while let character = iterator.next() {
            guard character == "~" else {
                result.append(character)
                continue
            }
            switch iterator.next() {
            case "0": result.append("~")
            case "1": result.append("/")
            case let other?:
                result.append("~")
                result.append(other)
            case nil: result.append("~")
            }
        }
        return result
    }
}
