import Foundation

/// `images.json`: every image record on the node. Readers load it without a
/// lock because writers only ever replace it with an atomic rename.
struct ImageCatalog: Codable {
    static let currentVersion = 1

    var version: Int
    var images: [ImageRecord]

    init(images: [ImageRecord] = []) {
        self.version = ImageCatalog.currentVersion
        self.images = images
    }

    /// The catalog at `path`; an absent file is an empty store.
    static func load(from path: String) throws -> ImageCatalog {
        guard try ImageFiles.exists(path) else { return ImageCatalog() }
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
