import Foundation
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
        guard let stamp = try FileStamp.of(path) else { return ImageCatalog() }
        if let hit = decoded.withLock({ $0[path] }), hit.stamp == stamp { return hit.catalog }
        let catalog = try decode(path)
        decoded.withLock { $0[path] = (stamp, catalog) }
        return catalog
    }

    private static let decoded = Mutex<[String: (stamp: FileStamp, catalog: ImageCatalog)]>([:])

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
