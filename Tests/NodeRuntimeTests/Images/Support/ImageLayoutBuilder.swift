import Foundation

/// Writes image archives on disk the way image tools do: an OCI image layout
/// (blobs, manifests, index.json) or an old-style `docker save` directory.
/// Digests come from `sha256sum`, independent of the code under test.
struct ImageLayoutBuilder {
    enum Compression { case none, gzip, zstd }

    /// What one image consists of, for assertions and for building indexes.
    struct BuiltImage {
        var manifestDigest: String
        var manifestSize: Int
        var configDigest: String
        var layerDigests: [String]
        var diffIDs: [String]
    }

    let directory: String

    init(at directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: "\(directory)/blobs/sha256", withIntermediateDirectories: true)
        try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: URL(fileURLWithPath: "\(directory)/oci-layout"))
    }

    static func sha256(_ bytes: [UInt8]) throws -> String {
        "sha256:" + (try runImageTestTool("/usr/bin/sha256sum", [], input: bytes).prefix(64))
    }

    static func compress(_ bytes: [UInt8], _ compression: Compression) throws -> [UInt8] {
        switch compression {
        case .none: return bytes
        case .gzip: return try runImageTestToolBytes("/usr/bin/gzip", ["-n", "-c"], input: bytes)
        case .zstd: return try runImageTestToolBytes("/usr/bin/zstd", ["-q", "-c"], input: bytes)
        }
    }

    static func json(_ object: Any) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    /// A config with the given diffIDs and container settings.
    static func config(diffIDs: [String], settings: [String: Any] = [:]) -> [String: Any] {
        var container: [String: Any] = ["Env": ["PATH=/usr/bin:/bin"], "Cmd": ["sh"]]
        container.merge(settings) { _, new in new }
        return [
            "architecture": "amd64", "os": "linux", "created": "2024-01-02T03:04:05Z",
            "config": container, "rootfs": ["type": "layers", "diff_ids": diffIDs],
        ]
    }

    /// Stores `bytes` as a blob and returns its descriptor digest.
    @discardableResult
    func addBlob(_ bytes: [UInt8]) throws -> String {
        let digest = try ImageLayoutBuilder.sha256(bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: blobPath(digest)))
        return digest
    }

    func blobPath(_ digest: String) -> String {
        "\(directory)/blobs/sha256/\(digest.dropFirst("sha256:".count))"
    }

    /// Adds config, layers and manifest for one image. `layers` are
    /// uncompressed tars; `diffIDs` overrides what the config declares.
    func addImage(
        layers: [[UInt8]], compression: Compression = .gzip, settings: [String: Any] = [:], diffIDs: [String]? = nil
    ) throws -> BuiltImage {
        let actualDiffIDs = try layers.map(ImageLayoutBuilder.sha256)
        let configBytes = try ImageLayoutBuilder.json(
            ImageLayoutBuilder.config(diffIDs: diffIDs ?? actualDiffIDs, settings: settings))
        let configDigest = try addBlob(configBytes)
        let mediaType: String
        switch compression {
        case .none: mediaType = "application/vnd.oci.image.layer.v1.tar"
        case .gzip: mediaType = "application/vnd.oci.image.layer.v1.tar+gzip"
        case .zstd: mediaType = "application/vnd.oci.image.layer.v1.tar+zstd"
        }
        var layerDescriptors: [[String: Any]] = []
        var layerDigests: [String] = []
        for layer in layers {
            let blob = try ImageLayoutBuilder.compress(layer, compression)
            let digest = try addBlob(blob)
            layerDigests.append(digest)
            layerDescriptors.append(["mediaType": mediaType, "digest": digest, "size": blob.count])
        }
        let manifest = try ImageLayoutBuilder.json([
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": ["mediaType": "application/vnd.oci.image.config.v1+json", "digest": configDigest, "size": configBytes.count],
            "layers": layerDescriptors,
        ] as [String: Any])
        let manifestDigest = try addBlob(manifest)
        return BuiltImage(
            manifestDigest: manifestDigest, manifestSize: manifest.count, configDigest: configDigest,
            layerDigests: layerDigests, diffIDs: actualDiffIDs)
    }

    /// A descriptor for `image`'s manifest as index.json lists it.
    static func descriptor(_ image: BuiltImage, annotations: [String: String] = [:], platform: [String: String]? = nil) -> [String: Any] {
        var descriptor: [String: Any] = [
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": image.manifestDigest, "size": image.manifestSize,
        ]
        if !annotations.isEmpty { descriptor["annotations"] = annotations }
        if let platform { descriptor["platform"] = platform }
        return descriptor
    }

    func writeIndex(_ descriptors: [[String: Any]]) throws {
        let index = try ImageLayoutBuilder.json([
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": descriptors,
        ] as [String: Any])
        try Data(index).write(to: URL(fileURLWithPath: "\(directory)/index.json"))
    }

    /// Tars the layout (or any directory) into `archive` with GNU tar.
    static func tar(_ directory: String, to archive: String) throws {
        try runImageTestTool("/usr/bin/tar", ["-C", directory, "-cf", archive, "."])
    }

    /// An old-style `docker save` directory: `<id>/layer.tar`, `<config
    /// hex>.json`, `manifest.json` with `RepoTags`. Returns the config digest.
    @discardableResult
    static func dockerSave(at directory: String, layers: [[UInt8]], repoTags: [String], settings: [String: Any] = [:]) throws -> String {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let diffIDs = try layers.map(sha256)
        var layerPaths: [String] = []
        for (index, layer) in layers.enumerated() {
            // Docker's v1 layer ids are not content digests; any hex will do.
            let id = String(repeating: String(index), count: 64)
            try manager.createDirectory(atPath: "\(directory)/\(id)", withIntermediateDirectories: true)
            try Data(layer).write(to: URL(fileURLWithPath: "\(directory)/\(id)/layer.tar"))
            try Data("1.0".utf8).write(to: URL(fileURLWithPath: "\(directory)/\(id)/VERSION"))
            layerPaths.append("\(id)/layer.tar")
        }
        let config = try json(self.config(diffIDs: diffIDs, settings: settings))
        let configDigest = try sha256(config)
        let configName = "\(configDigest.dropFirst("sha256:".count)).json"
        try Data(config).write(to: URL(fileURLWithPath: "\(directory)/\(configName)"))
        let manifest = try json([["Config": configName, "RepoTags": repoTags, "Layers": layerPaths]])
        try Data(manifest).write(to: URL(fileURLWithPath: "\(directory)/manifest.json"))
        return configDigest
    }
}
