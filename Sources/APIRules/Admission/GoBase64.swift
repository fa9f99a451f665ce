extension Admission {
    /// Standard base64 with padding, decoded exactly as Go's `encoding/base64.StdEncoding`
    /// decodes the `[]byte` members of Secrets, so a malformed value fails at the same byte
    /// offset Kubernetes reports (`illegal base64 data at input byte 4`).
    enum GoBase64 {
        private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

        static func encode(_ bytes: [UInt8]) -> String {
            var output: [UInt8] = []
            output.reserveCapacity((bytes.count + 2) / 3 * 4)
            var index = 0
            while index < bytes.count {
                let remaining = bytes.count - index
                let b0 = UInt32(bytes[index])
                let b1 = remaining > 1 ? UInt32(bytes[index + 1]) : 0
                let b2 = remaining > 2 ? UInt32(bytes[index + 2]) : 0
                let value = b0 << 16 | b1 << 8 | b2
                output.append(alphabet[Int(value >> 18 & 63)])
                output.append(alphabet[Int(value >> 12 & 63)])
                output.append(remaining > 1 ? alphabet[Int(value >> 6 & 63)] : UInt8(ascii: "="))
                output.append(remaining > 2 ? alphabet[Int(value & 63)] : UInt8(ascii: "="))
                index += 3
            }
            return String(decoding: output, as: UTF8.self)
        }

        /// Why decoding failed, with Go's message.
        struct CorruptInput: Error, Hashable {
            let offset: Int
            var message: String { "illegal base64 data at input byte \(offset)" }
        }

        /// The decoded bytes, or the offset of the first byte Go rejects. CR and LF are skipped.
        ///
        /// Follows Go's `decodeQuantum`: symbols are read four at a time; `=` may end a group
        /// after two or three symbols and then only newlines may follow; input that ends inside
        /// a group is corrupt where that group began, because padding is required.
        static func decode(_ text: String) -> Result<[UInt8], CorruptInput> {
            let source = Array(text.utf8)
            var output: [UInt8] = []
            output.reserveCapacity(source.count / 4 * 3)
            var position = 0
            var group: UInt32 = 0
            var count = 0
            while position < source.count {
                let byte = source[position]
                position += 1
                if let value = value(of: byte) {
                    group = group << 6 | UInt32(value)
                    count += 1
                    if count == 4 {
                        output.append(UInt8(group >> 16 & 0xFF))
                        output.append(UInt8(group >> 8 & 0xFF))
                        output.append(UInt8(group & 0xFF))
                        group = 0
                        count = 0
                    }
                    continue
                }
                if isNewline(byte) { continue }
                guard byte == UInt8(ascii: "="), count >= 2 else { return .failure(CorruptInput(offset: position - 1)) }
                if count == 2 {
                    while position < source.count, isNewline(source[position]) { position += 1 }
                    guard position < source.count else { return .failure(CorruptInput(offset: source.count)) }
                    guard source[position] == UInt8(ascii: "=") else { return .failure(CorruptInput(offset: position - 1)) }
                    position += 1
                }
                while position < source.count, isNewline(source[position]) { position += 1 }
                if position < source.count { return .failure(CorruptInput(offset: position)) }
                group <<= UInt32(6 * (4 - count))
                output.append(UInt8(group >> 16 & 0xFF))
                if count == 3 { output.append(UInt8(group >> 8 & 0xFF)) }
                return .success(output)
            }
            // Go reports `si - j` here: the input length less the symbols of the unfinished group.
            if count > 0 { return .failure(CorruptInput(offset: source.count - count)) }
            return .success(output)
        }

        private static func value(of byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): return 62
            case UInt8(ascii: "/"): return 63
            default: return nil
            }
        }

        private static func isNewline(_ byte: UInt8) -> Bool {
            byte == 0x0A || byte == 0x0D
        }
    }
}
