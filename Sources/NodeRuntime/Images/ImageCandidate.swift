/// An image read from an archive and fully verified (every blob digest, every
/// layer diffID), waiting to be published into the store.
struct ImageCandidate {
    var record: ImageRecord
    /// Verified files for the record's blobs (config, manifest, layers).
    var blobs: [ImageDigest: StagedBlob]
    /// Layer blobs by diffID, for unpacking layers the store lacks.
    var layerSources: [ImageDigest: StagedBlob]

    /// Checks the layers against the config's `rootfs.diff_ids` and builds the
    /// record. `tags` are normalised references; `manifest` is absent for
    /// old-style `docker save` archives.
    static func verify(
        config configBlob: StagedBlob, layers: [StagedBlob], manifest: StagedBlob?, tags: [ImageReference]
    ) throws -> ImageCandidate {
        let config = try ImageJSON.read(OCIImageConfig.self, path: configBlob.path, what: "config \(configBlob.digest.short)")
        let declared = config.rootfs?.diffIDs ?? []
        guard declared.count == layers.count else {
            throw RuntimeError("config \(configBlob.digest.short) lists \(declared.count) diff_ids but the manifest has \(layers.count) layers")
        }
        var diffIDs: [ImageDigest] = []
        var layerSources: [ImageDigest: StagedBlob] = [:]
        var size: Int64 = 0
        for (index, (layer, text)) in zip(layers, declared).enumerated() {
            let expected: ImageDigest
            do {
                expected = try ImageDigest(parsing: text)
            } catch let error as RuntimeError {
                throw RuntimeError("config \(configBlob.digest.short): rootfs.diff_ids[\(index)]: \(error.message)")
            }
            let actual: (digest: ImageDigest, size: Int64)
            do {
                actual = try ImageArchive.uncompressedDigest(of: layer.path)
            } catch let error as RuntimeError {
                throw RuntimeError("layer \(layer.digest.short): \(error.message)")
            }
            guard actual.digest == expected else {
                throw RuntimeError("layer \(layer.digest.short) uncompresses to \(actual.digest) but the config's rootfs.diff_ids[\(index)] is \(expected)")
            }
            diffIDs.append(expected)
            layerSources[expected] = layer
            size += actual.size
        }
        var blobs: [ImageDigest: StagedBlob] = [configBlob.digest: configBlob]
        for layer in layers { blobs[layer.digest] = layer }
        if let manifest { blobs[manifest.digest] = manifest }
        let platform = ImagePlatform.current
        let record = ImageRecord(
            id: configBlob.digest,
            repoTags: Array(Set(tags.filter { $0.tag != nil }.map(\.description))).sorted(),
            manifestDigest: manifest?.digest,
            layers: diffIDs,
            layerBlobs: layers.map(\.digest),
            size: size,
            created: config.created,
            os: config.os ?? platform.os,
            architecture: config.architecture ?? platform.architecture,
            config: config.imageConfig
        )
        return ImageCandidate(record: record, blobs: blobs, layerSources: layerSources)
    }

    /// Folds another candidate for the same image (listed twice under
    /// different names) into this one.
    mutating func merge(_ other: ImageCandidate) {
        record.repoTags = Array(Set(record.repoTags + other.record.repoTags)).sorted()
        if record.manifestDigest == nil { record.manifestDigest = other.record.manifestDigest }
        blobs.merge(other.blobs) { current, _ in current }
        layerSources.merge(other.layerSources) { current, _ in current }
    }
}
