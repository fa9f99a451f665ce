/// Media types the importer recognises. Docker's schema-2 types are accepted
/// alongside OCI's because `docker save` and older registries produce them.
enum OCIMediaType {
    static let imageIndex = "application/vnd.oci.image.index.v1+json"
    static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    static let imageManifest = "application/vnd.oci.image.manifest.v1+json"
    static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    static let imageConfig = "application/vnd.oci.image.config.v1+json"
    static let dockerConfig = "application/vnd.docker.container.image.v1+json"

    static func isIndex(_ type: String?) -> Bool {
        type == imageIndex || type == dockerManifestList
    }

    static func isManifest(_ type: String?) -> Bool {
        type == imageManifest || type == dockerManifest
    }

    static func isConfig(_ type: String?) -> Bool {
        type == imageConfig || type == dockerConfig
    }
}
