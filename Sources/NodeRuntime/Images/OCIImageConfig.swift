/// The image config blob (OCI image-spec `config.json`, same shape as
/// Docker's), reduced to what the node needs.
struct OCIImageConfig: Decodable, Sendable {
    var architecture: String?
    var os: String?
    var created: String?
    var config: ContainerConfig?
    var rootfs: RootFS?

    struct ContainerConfig: Decodable, Sendable {
        var entrypoint: [String]?
        var cmd: [String]?
        var env: [String]?
        var workingDir: String?
        var user: String?
        var exposedPorts: [String: EmptyObject]?
        var stopSignal: String?

        enum CodingKeys: String, CodingKey {
            case entrypoint = "Entrypoint", cmd = "Cmd", env = "Env", workingDir = "WorkingDir"
            case user = "User", exposedPorts = "ExposedPorts", stopSignal = "StopSignal"
        }
    }

    struct RootFS: Decodable, Sendable {
        var type: String?
        var diffIDs: [String]?

        enum CodingKeys: String, CodingKey {
            case type, diffIDs = "diff_ids"
        }
    }

    /// The `{}` values of `ExposedPorts`; their content carries no meaning.
    struct EmptyObject: Decodable, Sendable {
        init(from decoder: any Decoder) throws {}
    }

    /// The runtime-relevant fields as stored in `ImageRecord`.
    var imageConfig: ImageConfig {
        ImageConfig(
            entrypoint: config?.entrypoint ?? [],
            cmd: config?.cmd ?? [],
            env: config?.env ?? [],
            workingDir: config?.workingDir ?? "",
            user: config?.user ?? "",
            exposedPorts: (config?.exposedPorts?.keys).map { $0.sorted() } ?? [],
            stopSignal: config?.stopSignal ?? ""
        )
    }
}
