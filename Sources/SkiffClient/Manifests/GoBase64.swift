/// Checks base64 text the way Go's `base64.StdEncoding.DecodeString` does when the API server
/// decodes a Secret's `data`, so the client can report the same
/// `illegal base64 data at input byte N` before sending anything.
enum GoBase64 {
    /// The byte offset Go would report, or nil when `text` decodes.
    static func firstIllegalByte(in text: String) -> Int? {
        let source = Array(text.utf8)
        var index = 0
        while true {
            // One quantum of up to four symbols; CR and LF are skipped anywhere.
            var symbols = 0
            while symbols < 4 {
                if index == source.count {
                    switch symbols {
                    case 0: return nil
                    default: return index - symbols  // a partial quantum without padding
                    }
                }
                let byte = source[index]
                index += 1
                if byte == 0x0A || byte == 0x0D { continue }
                if isAlphabet(byte) {
                    symbols += 1
                    continue
                }
                guard byte == UInt8(ascii: "=") else { return index - 1 }
                switch symbols {
                case 0, 1:
                    return index - 1
                case 2:
                    while index < source.count, source[index] == 0x0A || source[index] == 0x0D { index += 1 }
                    if index == source.count { return source.count }
                    if source[index] != UInt8(ascii: "=") { return index - 1 }
                    index += 1
                default:
                    break
                }
                while index < source.count, source[index] == 0x0A || source[index] == 0x0D { index += 1 }
                return index < source.count ? index : nil
            }
        }
    }

    private static func isAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }
}
