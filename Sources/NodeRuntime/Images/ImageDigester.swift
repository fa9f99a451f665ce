import Crypto

/// Incremental sha256 over bytes read in chunks, also counting them, so a blob
/// is hashed and sized in the single pass that reads it.
struct ImageDigester {
    private var hasher = SHA256()
    private(set) var byteCount: Int64 = 0

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
        byteCount += Int64(bytes.count)
    }

    /// The digest of everything passed to `update`.
    func finalize() -> ImageDigest {
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in hasher.finalize() {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0f)])
        }
        return ImageDigest(computedHex: String(decoding: hex, as: UTF8.self))
    }
}
