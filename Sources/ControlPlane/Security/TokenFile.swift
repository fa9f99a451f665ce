import Crypto
import Foundation

/// The admin user's bearer token, kept in one file as k3s keeps `server/token`.
public enum TokenFile {
    /// Loads the token at `url`, or creates it: 32 random bytes as 64 lowercase hex digits,
    /// mode 0600. Surrounding whitespace in an existing file is ignored (an operator may
    /// have written it with `echo`); an empty file or one holding whitespace inside the
    /// token is an error rather than silently replaced, since clients already hold it.
    public static func loadOrCreate(at url: URL) throws(PKIError) -> String {
        if let text = try PKIFile.read(url, step: "reading the token") {
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else {
                throw PKIError(step: "reading the token", path: url.path, message: "the file is empty")
            }
            guard token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f }) else {
                throw PKIError(
                    step: "reading the token", path: url.path,
                    message: "the token must be one word of printable ASCII characters")
            }
            return token
        }
        try PKIFile.makeDirectory(
            url.deletingLastPathComponent(), mode: 0o700, step: "creating the token's directory")
        let token = randomHex(byteCount: 32)
        try PKIFile.write(token + "\n", to: url, mode: 0o600, step: "writing the token")
        return token
    }

    /// `byteCount` bytes from the system's cryptographic generator, in hex.
    static func randomHex(byteCount: Int) -> String {
        let key = SymmetricKey(size: SymmetricKeySize(bitCount: byteCount * 8))
        return key.withUnsafeBytes { bytes in
            bytes.map { byte in
                let digits = Array("0123456789abcdef".utf8)
                return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]], as: UTF8.self)
            }.joined()
        }
    }
}
