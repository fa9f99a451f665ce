import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads and writes the small secret files of the cluster (keys, certificates, token,
/// kubeconfig).
///
/// Writes go to a temporary file in the same directory that is fsynced and then renamed
/// over the target, and the directory is fsynced after, so a crash or power loss leaves
/// either the old file or the complete new one, never a truncated key. The file is created
/// with its final mode, so a secret is never readable by others, not even briefly.
enum PKIFile {
    /// The file's text, or nil when it does not exist.
    static func read(_ url: URL, step: String) throws(PKIError) -> String? {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw PKIError(step: step, path: url.path, message: errnoText(code))
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw PKIError(step: step, path: url.path, message: errnoText(errno))
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PKIError(step: step, path: url.path, message: "the file is not UTF-8 text")
        }
        return text
    }

    /// Whether something exists at `url` (a dangling symlink counts as absent).
    static func exists(_ url: URL) -> Bool {
        access(url.path, F_OK) == 0
    }

    /// Replaces `url` with `text` atomically; the new file has exactly `mode`.
    static func write(_ text: String, to url: URL, mode: mode_t, step: String) throws(PKIError) {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fail = { (code: Int32) -> PKIError in
            PKIError(step: step, path: url.path, message: errnoText(code))
        }
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if descriptor < 0 { throw fail(errno) }
        var succeeded = false
        defer {
            if !succeeded { unlink(temporary.path) }
        }
        do {
            defer { close(descriptor) }
            // The umask may have cleared bits of `mode`; set it exactly.
            if fchmod(descriptor, mode) != 0 { throw fail(errno) }
            let bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes {
                    systemWrite(descriptor, $0.baseAddress.map { $0 + offset }, bytes.count - offset)
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw fail(errno)
                }
                offset += written
            }
            if fsync(descriptor) != 0 { throw fail(errno) }
        }
        if rename(temporary.path, url.path) != 0 { throw fail(errno) }
        succeeded = true
        syncDirectory(directory)
    }

    /// Creates `url` and its parents; a directory that already exists is left as it is.
    static func makeDirectory(_ url: URL, mode: mode_t, step: String) throws(PKIError) {
        do {
            try FileManager.default.createDirectory(
                at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: Int(mode)])
        } catch {
            throw PKIError(step: step, path: url.path, message: String(describing: error))
        }
    }

    /// Makes the rename itself durable. Failure only weakens durability, never correctness,
    /// so it is not reported.
    private static func syncDirectory(_ directory: URL) {
        let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    static func errnoText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

// `read` and `write` are shadowed inside `PKIFile` by its own static methods.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
