import CShims
import Glibc

/// Swift face of the libarchive shims: extracting tars safely and reading a
/// layer's uncompressed bytes. Messages come back from C naming the entry;
/// callers prefix them with the layer or archive they were working on.
enum ImageArchive {
    struct Options: OptionSet {
        let rawValue: Int32

        /// Owner, mode, times, xattrs, ACLs as recorded (image layers).
        static let restoreMetadata = Options(rawValue: Int32(SKIFF_ARCHIVE_RESTORE_METADATA))
        /// OCI whiteouts become overlayfs whiteouts / opaque directories.
        static let overlayWhiteouts = Options(rawValue: Int32(SKIFF_ARCHIVE_OVERLAY_WHITEOUTS))
        /// Device nodes, FIFOs and sockets are not created.
        static let skipSpecialFiles = Options(rawValue: Int32(SKIFF_ARCHIVE_SKIP_SPECIAL))
    }

    /// How an image layer is unpacked so the directory is a ready overlay lowerdir.
    static let layerOptions: Options = [.restoreMetadata, .overlayWhiteouts]
    /// How an image archive (OCI layout / docker save tar) is unpacked for reading.
    static let layoutOptions: Options = [.skipSpecialFiles]

    private static let errorCapacity = 1024

    /// Extracts `archive` into the existing directory `destination`; nothing
    /// can land outside it. Throws `RuntimeError` naming the offending entry.
    static func extract(_ archive: String, into destination: String, options: Options) throws {
        var message = [CChar](repeating: 0, count: errorCapacity)
        let status = message.withUnsafeMutableBufferPointer { buffer in
            skiff_archive_extract(archive, destination, options.rawValue, buffer.baseAddress, buffer.count)
        }
        if status != 0 {
            throw RuntimeError(text(message))
        }
    }

    /// sha256 and size of the decompressed content of `path` (gzip, zstd, xz,
    /// bzip2 or plain): for a layer blob, its diffID.
    static func uncompressedDigest(of path: String) throws -> (digest: ImageDigest, size: Int64) {
        var message = [CChar](repeating: 0, count: errorCapacity)
        let opened = message.withUnsafeMutableBufferPointer { buffer in
            skiff_archive_stream_open(path, buffer.baseAddress, buffer.count)
        }
        guard let stream = opened else { throw RuntimeError(text(message)) }
        defer { skiff_archive_stream_close(stream) }
        var digester = ImageDigester()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { bytes in
                message.withUnsafeMutableBufferPointer { buffer in
                    skiff_archive_stream_read(stream, bytes.baseAddress, bytes.count, buffer.baseAddress, buffer.count)
                }
            }
            if count < 0 { throw RuntimeError(text(message)) }
            if count == 0 { break }
            chunk.withUnsafeBytes { digester.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        return (digester.finalize(), digester.byteCount)
    }

    private static func text(_ message: [CChar]) -> String {
        let bytes = message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let decoded = String(decoding: bytes, as: UTF8.self)
        return decoded.isEmpty ? "libarchive failed without a message" : decoded
    }
}
