/// Reads the images of an OCI image layout (`oci-layout`, `index.json`,
/// `blobs/`), including the one Docker 25+ writes inside `docker save`.
enum OCILayoutParser {
    static let refNameAnnotation = "org.opencontainers.image.ref.name"
    static let containerdNameAnnotation = "io.containerd.image.name"
    /// Nested indexes deeper than this are refused rather than followed.
    private static let maxIndexDepth = 4

    static func images(in reader: ImageLayoutReader, platform: ImagePlatform) throws -> [ImageCandidate] {
        if reader.hasFile("oci-layout") {
            struct LayoutMarker: Decodable { var imageLayoutVersion: String }
            let marker = try ImageJSON.read(LayoutMarker.self, path: reader.file("oci-layout", what: "oci-layout"), what: "oci-layout")
            guard marker.imageLayoutVersion.hasPrefix("1.") else {
                throw RuntimeError("oci-layout has imageLayoutVersion \"\(marker.imageLayoutVersion)\"; only 1.x is supported")
            }
        }
        let index = try ImageJSON.read(OCIImageIndex.self, path: reader.file("index.json", what: "index.json"), what: "index.json")
        var candidates: [ImageCandidate] = []
        for (position, descriptor) in index.manifests.enumerated() {
            let what = "index.json manifests[\(position)]"
            let tags = try references(in: descriptor.annotations ?? [:], what: what)
            guard let manifest = try manifestDescriptor(descriptor, reader: reader, platform: platform, what: what, depth: 0) else {
                continue
            }
            candidates.append(try image(manifest.descriptor, reader: reader, tags: tags, what: manifest.what))
        }
        guard !candidates.isEmpty else {
            throw RuntimeError("index.json lists no container image manifests")
        }
        return candidates
    }

    /// The normalised references an index entry's annotations give. A bare
    /// tag in `ref.name` (the OCI convention) only names an image together
    /// with containerd's full name; a value with `/`, `:` or `@` is a full
    /// reference of its own.
    static func references(in annotations: [String: String], what: String) throws -> [ImageReference] {
        func parse(_ key: String, _ value: String) throws -> ImageReference {
            do {
                return try ImageReference(parsing: value)
            } catch let error as RuntimeError {
                throw RuntimeError("\(what) annotation \(key): \(error.message)")
            }
        }
        var result: [ImageReference] = []
        if let name = annotations[containerdNameAnnotation] {
            result.append(try parse(containerdNameAnnotation, name))
        }
        if let refName = annotations[refNameAnnotation] {
            if refName.contains(where: { $0 == "/" || $0 == ":" || $0 == "@" }) {
                result.append(try parse(refNameAnnotation, refName))
            } else if let named = result.first, named.tag == nil, ImageReference.isValidTag(refName) {
                result.append(try parse(refNameAnnotation, "\(named.repository):\(refName)"))
            }
        }
        return result
    }

    /// Follows nested indexes down to the manifest for `platform`; nil for
    /// entries that are not images (attestations, other artifacts).
    private static func manifestDescriptor(
        _ descriptor: OCIDescriptor, reader: ImageLayoutReader, platform: ImagePlatform, what: String, depth: Int
    ) throws -> (descriptor: OCIDescriptor, what: String)? {
        if OCIMediaType.isManifest(descriptor.mediaType) { return (descriptor, what) }
        guard OCIMediaType.isIndex(descriptor.mediaType) else { return nil }
        guard depth < maxIndexDepth else {
            throw RuntimeError("\(what): image indexes nested deeper than \(maxIndexDepth) levels")
        }
        let blob = try reader.blob(for: descriptor, what: "\(what) index")
        let nested = try ImageJSON.read(OCIImageIndex.self, path: blob.path, what: "index \(blob.digest.short)")
        let images = nested.manifests.enumerated().filter { OCIMediaType.isManifest($0.element.mediaType) || OCIMediaType.isIndex($0.element.mediaType) }
        let chosen = images.first { platform.matches($0.element.platform) }
            ?? (images.count == 1 && images[0].element.platform == nil ? images[0] : nil)
        guard let chosen else {
            let offered = images.compactMap { item in item.element.platform.map { "\($0.os ?? "?")/\($0.architecture ?? "?")" } }
            throw RuntimeError("index \(blob.digest.short) has no image for \(platform) (it offers \(offered.joined(separator: ", ")))")
        }
        return try manifestDescriptor(
            chosen.element, reader: reader, platform: platform,
            what: "index \(blob.digest.short) manifests[\(chosen.offset)]", depth: depth + 1
        )
    }

    private static func image(
        _ descriptor: OCIDescriptor, reader: ImageLayoutReader, tags: [ImageReference], what: String
    ) throws -> ImageCandidate {
        let manifestBlob = try reader.blob(for: descriptor, what: "\(what) manifest")
        let manifestName = "manifest \(manifestBlob.digest.short)"
        let manifest = try ImageJSON.read(OCIImageManifest.self, path: manifestBlob.path, what: manifestName)
        if let version = manifest.schemaVersion, version != 2 {
            throw RuntimeError("\(manifestName) has schemaVersion \(version); only 2 is supported")
        }
        guard OCIMediaType.isConfig(manifest.config.mediaType) else {
            throw RuntimeError("\(manifestName) is not a container image: config media type is \(manifest.config.mediaType ?? "missing")")
        }
        let config = try reader.blob(for: manifest.config, what: "\(manifestName) config")
        let layers = try manifest.layers.enumerated().map { position, layer in
            try reader.blob(for: layer, what: "\(manifestName) layer \(position)")
        }
        return try ImageCandidate.verify(config: config, layers: layers, manifest: manifestBlob, tags: tags)
    }
}
