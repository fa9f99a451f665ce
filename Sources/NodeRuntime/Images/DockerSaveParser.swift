/// Reads the images of a `docker save` archive through its `manifest.json`:
/// a config file and layer tars per image, tags in `RepoTags`. Works for the
/// old layout (`<id>.json`, `<id>/layer.tar`) and the OCI-based one.
enum DockerSaveParser {
    static func images(in reader: ImageLayoutReader) throws -> [ImageCandidate] {
        let entries = try ImageJSON.read(
            [DockerSaveManifest].self, path: reader.file("manifest.json", what: "manifest.json"), what: "manifest.json"
        )
        guard !entries.isEmpty else { throw RuntimeError("manifest.json lists no images") }
        return try entries.enumerated().map { position, entry in
            let what = "manifest.json entry \(position)"
            let config = try blob(entry.config, reader: reader, what: "\(what) config")
            let layers = try entry.layers.enumerated().map { layer, path in
                try blob(path, reader: reader, what: "\(what) layer \(layer)")
            }
            return try ImageCandidate.verify(config: config, layers: layers, manifest: nil, tags: tags(of: entry, what: what))
        }
    }

    /// `RepoTags` of every entry, keyed by config digest, so an OCI import of
    /// a Docker 25+ archive can pick up names its index.json lacks.
    static func tagsByConfig(in reader: ImageLayoutReader) throws -> [ImageDigest: [ImageReference]] {
        let entries = try ImageJSON.read(
            [DockerSaveManifest].self, path: reader.file("manifest.json", what: "manifest.json"), what: "manifest.json"
        )
        var result: [ImageDigest: [ImageReference]] = [:]
        for (position, entry) in entries.enumerated() {
            let what = "manifest.json entry \(position)"
            let config = try blob(entry.config, reader: reader, what: "\(what) config")
            result[config.digest, default: []] += try tags(of: entry, what: what)
        }
        return result
    }

    private static func tags(of entry: DockerSaveManifest, what: String) throws -> [ImageReference] {
        try (entry.repoTags ?? []).map { tag in
            do {
                return try ImageReference(parsing: tag)
            } catch let error as RuntimeError {
                throw RuntimeError("\(what) RepoTags: \(error.message)")
            }
        }
    }

    /// A file named by its digest (`blobs/sha256/<hex>`, `<hex>.json`) must
    /// hash to that digest; other names are verified by the config instead.
    private static func blob(_ path: String, reader: ImageLayoutReader, what: String) throws -> StagedBlob {
        let blob = try reader.blob(path, what: what)
        var name = Substring(path.split(separator: "/").last ?? "")
        if name.hasSuffix(".json") { name = name.dropLast(5) }
        if ImageDigest.isSHA256Hex(name) {
            try reader.check(blob, expected: ImageDigest(computedHex: String(name)), what: what)
        }
        return blob
    }
}
