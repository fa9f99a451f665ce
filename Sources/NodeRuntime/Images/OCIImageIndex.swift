/// `index.json`, or a nested image index / Docker manifest list blob.
struct OCIImageIndex: Decodable, Sendable {
    var schemaVersion: Int?
    var mediaType: String?
    var manifests: [OCIDescriptor]
}
