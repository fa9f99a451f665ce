import Foundation
import Glibc

/// Small JSON records written atomically (temp file, rename), so a crash of
/// the process leaves either the old or the new record, never a torn one.
/// `durable` adds fsync of the file and its directory, for records that must
/// survive a power loss; runtime state under /run is meaningless after a
/// reboot anyway and skips it (it cost 1.5–3 ms per start here, where /run
/// is on disk).
package enum StateFile {
    package static func write<T: Encodable>(_ value: T, to path: String, durable: Bool = false) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data = try encoder.encode(value)
        let temp = path + ".tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        if fd < 0 { throw SystemError.current("open \(temp)") }
        var ok = data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        if ok && durable { ok = fsync(fd) == 0 }
        let failure = ok ? nil : SystemError.current("write \(temp)")
        close(fd)
        if let failure {
            unlink(temp)
            throw failure
        }
        if rename(temp, path) != 0 {
            let error = SystemError.current("rename \(temp)")
            unlink(temp)
            throw error
        }
        guard durable else { return }
        let dir = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }

    package static func read<T: Decodable>(_ type: T.Type, from path: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SystemError("read \(path)", errno: ENOENT)
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw RuntimeError("\(path): corrupt state record: \(error)")
        }
    }

    /// mkdir -p with a mode, reporting the real errno and the path that failed.
    package static func makeDirectory(_ path: String, mode: mode_t = 0o711) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, mode) != 0 && errno != EEXIST {
                throw SystemError.current("mkdir \(prefix)")
            }
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw SystemError("mkdir \(path)", errno: ENOTDIR)
        }
    }

    /// rm -rf that does not cross into mounts left behind by mistake.
    package static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
