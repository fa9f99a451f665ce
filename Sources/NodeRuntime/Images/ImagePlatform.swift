/// The OCI platform of this node, used to pick one manifest out of a
/// multi-platform index.
struct ImagePlatform: Equatable, CustomStringConvertible {
    var os: String
    var architecture: String

    static var current: ImagePlatform {
        #if arch(x86_64)
        ImagePlatform(os: "linux", architecture: "amd64")
        #elseif arch(arm64)
        ImagePlatform(os: "linux", architecture: "arm64")
        #elseif arch(arm)
        ImagePlatform(os: "linux", architecture: "arm")
        #elseif arch(i386)
        ImagePlatform(os: "linux", architecture: "386")
        #else
        ImagePlatform(os: "linux", architecture: "unknown")
        #endif
    }

    var description: String { "\(os)/\(architecture)" }

    func matches(_ platform: OCIPlatform?) -> Bool {
        platform?.os == os && platform?.architecture == architecture
    }
}
