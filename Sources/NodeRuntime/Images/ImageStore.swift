/// The node's images, kept on disk for an air-gapped node that never pulls:
/// images arrive only through `importArchive(path:)`.
///
/// Layout under `root`:
/// - `blobs/sha256/<hex>`: manifests, configs and layer blobs, read-only;
/// - `layers/<diffid hex>/`: each layer unpacked once, usable directly as a
///   read-only overlayfs lowerdir (whiteouts already in overlay form);
/// - `images.json`: the records, replaced atomically;
/// - `lock`: `flock`ed by whoever publishes or deletes;
/// - `tmp/`: per-import staging, on the same file system so publishing is a rename.
///
/// All state is on disk, so the struct is freely `Sendable` and several
/// processes may share one root. Operations block on file I/O: call them off
/// the cooperative thread pool.
package struct ImageStore: Sendable {
    /// Canonical (symlink-free) root directory.
    package let root: String

    package init(root: String) throws {
        try ImageFiles.makeDirectories(root, mode: 0o700)
        self.root = try ImageFiles.canonicalPath(root)
        for directory in [blobsDirectory, layersDirectory, tmpDirectory] {
            try ImageFiles.makeDirectories(directory, mode: 0o700)
        }
        try lock.create()
    }

    var blobsDirectory: String { "\(root)/blobs/sha256" }
    var layersDirectory: String { "\(root)/layers" }
    var tmpDirectory: String { "\(root)/tmp" }
    var catalogPath: String { "\(root)/images.json" }
    var lock: ImageStoreLock { ImageStoreLock(path: "\(root)/lock") }

    func blobPath(_ digest: ImageDigest) -> String { "\(blobsDirectory)/\(digest.hex)" }

    /// The unpacked directory of the layer with this diffID.
    package func layerDirectory(for diffID: ImageDigest) -> String {
        "\(layersDirectory)/\(diffID.hex)"
    }

    /// Every image, ordered by first tag (untagged last), then id.
    package func list() throws -> [ImageRecord] {
        try ImageCatalog.load(from: catalogPath).images.sorted { lhs, rhs in
            switch (lhs.repoTags.first, rhs.repoTags.first) {
            case let (left?, right?) where left != right: left < right
            case (.some, nil): true
            case (nil, .some): false
            default: lhs.id < rhs.id
            }
        }
    }

    /// The image `reference` names (tag, digest reference or image id).
    package func resolve(reference: String) throws -> ImageRecord {
        let images = try ImageCatalog.load(from: catalogPath).images
        guard let match = try ImageLookup.find(reference, in: images) else {
            throw ImageStore.notPresent(reference)
        }
        return images[match.index]
    }

    /// Layer directories for an overlay mount, top-most first as
    /// `lowerdir=` wants them (the config lists them bottom-most first).
    /// A layer listed twice appears once, at its top-most position: overlayfs
    /// refuses repeated lowerdirs, and the lower copy could only add what
    /// the identical upper copy already provides.
    package func lowerDirs(for image: ImageRecord) -> [String] {
        var seen = Set<ImageDigest>()
        return image.layers.reversed().filter { seen.insert($0).inserted }.map(layerDirectory(for:))
    }

    /// Removes a tag; a digest or id reference removes the image with all its
    /// tags. An image left without tags loses its record, and its blobs and
    /// layers are deleted unless another image uses them. The caller must make
    /// sure no container still runs on the image's layers.
    @discardableResult
    package func remove(reference: String) throws -> ImageRemoval {
        try lock.withExclusiveAccess {
            var catalog = try ImageCatalog.load(from: catalogPath)
            guard let match = try ImageLookup.find(reference, in: catalog.images) else {
                throw ImageStore.notPresent(reference)
            }
            var removal = ImageRemoval(untagged: [], deleted: nil)
            switch match {
            case .tag(let index, let tag):
                catalog.images[index].repoTags.removeAll { $0 == tag }
                removal.untagged = [tag]
            case .image(let index):
                removal.untagged = catalog.images[index].repoTags
                catalog.images[index].repoTags = []
            }
            let image = catalog.images[match.index]
            guard image.repoTags.isEmpty else {
                try catalog.save(to: catalogPath)
                return removal
            }
            catalog.images.remove(at: match.index)
            // Records first: a crash mid-deletion leaves unreferenced files,
            // never a record pointing at half-deleted layers.
            try catalog.save(to: catalogPath)
            try deleteUnused(blobs: image.blobs, layers: Set(image.layers), keeping: catalog.images)
            removal.deleted = image.id
            return removal
        }
    }

    /// The error for a reference that matches nothing on this node.
    package static func notPresent(_ reference: String) -> RuntimeError {
        RuntimeError("image \"\(reference)\" is not present on this node; import it with: skiff image import <file>")
    }

    /// Deletes those of `blobs` and `layers` that no image in `keeping` uses.
    /// Layers are first renamed into `tmp/`, so `layers/<hex>` is either
    /// complete or absent, even if deletion is interrupted.
    private func deleteUnused(blobs: Set<ImageDigest>, layers: Set<ImageDigest>, keeping images: [ImageRecord]) throws {
        let usedBlobs = images.reduce(into: Set<ImageDigest>()) { $0.formUnion($1.blobs) }
        let usedLayers = images.reduce(into: Set<ImageDigest>()) { $0.formUnion($1.layers) }
        for blob in blobs.subtracting(usedBlobs).sorted() {
            try ImageFiles.removeTree(blobPath(blob))
        }
        for layer in layers.subtracting(usedLayers).sorted() {
            let path = layerDirectory(for: layer)
            guard try ImageFiles.exists(path) else { continue }
            let doomed = "\(tmpDirectory)/delete-\(layer.hex)"
            try ImageFiles.removeTree(doomed)
            try ImageFiles.rename(path, to: doomed)
            try ImageFiles.removeTree(doomed)
        }
    }
}
