/// One image known to this node, as stored in `images.json`.
package struct ImageRecord: Codable, Equatable, Sendable {
    /// The config blob's digest: the image id Docker prints.
    package var id: ImageDigest
    /// Normalised tags, e.g. `docker.io/mengsixing/notepad:latest`, sorted.
    /// Empty for an image imported without a name or whose tags moved away.
    package var repoTags: [String]
    /// Digest of the manifest, when the archive had one (OCI layouts, newer
    /// `docker save`); `name@sha256:…` references resolve against it.
    package var manifestDigest: ImageDigest?
    /// Layer diffIDs (sha256 of each uncompressed tar), bottom-most first as
    /// in the config's `rootfs.diff_ids`.
    package var layers: [ImageDigest]
    /// Digests of the stored layer blobs, parallel to `layers`.
    package var layerBlobs: [ImageDigest]
    /// Total uncompressed size of the layers in bytes.
    package var size: Int64
    /// The config's `created` timestamp (RFC 3339), if any.
    package var created: String?
    package var os: String
    package var architecture: String
    package var config: ImageConfig

    package init(
        id: ImageDigest, repoTags: [String], manifestDigest: ImageDigest?, layers: [ImageDigest],
        layerBlobs: [ImageDigest], size: Int64, created: String?, os: String, architecture: String,
        config: ImageConfig
    ) {
        self.id = id
        self.repoTags = repoTags
        self.manifestDigest = manifestDigest
        self.layers = layers
        self.layerBlobs = layerBlobs
        self.size = size
        self.created = created
        self.os = os
        self.architecture = architecture
        self.config = config
    }

    /// Every blob this image keeps in `blobs/sha256/`.
    package var blobs: Set<ImageDigest> {
        var all = Set(layerBlobs)
        all.insert(id)
        if let manifestDigest { all.insert(manifestDigest) }
        return all
    }
}
