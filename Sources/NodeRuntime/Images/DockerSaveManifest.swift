/// One entry of a `docker save` archive's `manifest.json`. Paths are relative
/// to the archive root: `<id>.json` and `<id>/layer.tar` in the old layout,
/// `blobs/sha256/<hex>` since Docker 25.
struct DockerSaveManifest: Decodable, Sendable {
    var config: String
    var repoTags: [String]?
    var layers: [String]

    enum CodingKeys: String, CodingKey {
        case config = "Config", repoTags = "RepoTags", layers = "Layers"
    }
}
