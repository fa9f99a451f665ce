import Foundation
import Glibc
import Synchronization

/// `images.json`: every image record on the node. Readers load it without a
/// lock because writers only ever replace it with an atomic rename.
struct ImageCatalog: Codable, Sendable {
    static let currentVersion = 1

    var version: Int
    var images: [ImageRecord]

    init(images: [ImageRecord] = []) {
        self.version = ImageCatalog.currentVersion
        self.images = images
    }

    /// The catalog at `path`; an absent file is an empty store.
    ///
    /// A catalog decoded before is reused while the file is the same one (the
    /// same inode, size and times): a pod's start resolves its image three
    /// times, and decoding the JSON each time cost more than the rest of the
    /// lookup. Writers replace the file by rename, so any change is a new
    /// inode and new times, in this process or another.
    static func load(from path: String) throws -> ImageCatalog {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return ImageCatalog() }
            throw SystemError.current("stat \(path)")
        }
        let stamp = FileStamp(info)
        if let hit = decoded.withLock({ $0[path] }), hit.stamp == stamp { return hit.catalog }
        let catalog = try decode(path)
        decoded.withLock { $0[path] = (stamp, catalog) }
        return catalog
    }

    private static let decoded = Mutex<[String: (stamp: FileStamp, catalog: ImageCatalog)]>([:])

    /// What tells one version of a file from another without reading it.
    private struct FileStamp: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: (seconds: Int, nanoseconds: Int)
        var changed: (seconds: Int, nanoseconds: Int)

        static func == (a: FileStamp, b: FileStamp) -> Bool {
            a.device == b.device && a.inode == b.inode && a.size == b.size && a.modified == b.modified
                && a.changed == b.changed
        }

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = (info.st_mtim.tv_sec, info.st_mtim.tv_nsec)
            changed = (info.st_ctim.tv_sec, info.st_ctim.tv_nsec)
        }
    }

    private static func decode(_ path: String) throws -> ImageCatalog {
        let bytes = try ImageFiles.read(path, limit: 256 << 20)
        let catalog: ImageCatalog
        do {
            catalog = try JSONDecoder().decode(ImageCatalog.self, from: Data(bytes))
        } catch {
            throw RuntimeError("image store catalog \(path) is unreadable: \(error)")
        }
        guard catalog.version == currentVersion else {
            throw RuntimeError("image store catalog \(path) has version \(catalog.version); this skiff reads version \(currentVersion)")
        }
        return catalog
    }

    /// Writes the catalog sorted by id, atomically and durably.
    func save(to path: String) throws {
        var sorted = self
        sorted.images.sort { $0.id < $1.id }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(sorted)
        } catch {
            throw RuntimeError("encoding image store catalog \(path): \(error)")
        }
        try ImageFiles.writeAtomically(path, Array(data))
    }

    func index(of id: ImageDigest) -> Int? {
        images.firstIndex { $0.id == id }
    }
}
