/// An image manifest: one config blob and the layer blobs, bottom-most first.
struct OCIImageManifest: Decodable, Sendable {
    var schemaVersion: Int?
    var mediaType: String?
    var config: OCIDescriptor
    var layers: [OCIDescriptor]
}
