import Foundation

/// What `skiff runtime` remembers about a container between invocations,
/// in `<root>/<id>/state.json` (a tmpfs under /run by default).
package struct BundleState: Codable, Sendable, Equatable {
    package var id: String
    package var bundle: String
    package var rootfs: String
    package var process: ProcessIdentity
    package var cgroupPath: String
    package var created: Date
    package var annotations: [String: String]?
}

/// The OCI `state` document (`runc state` / `crun state` output).
package struct BundleStatus: Codable, Sendable, Equatable {
    package var ociVersion = "1.0.2"
    package var id: String
    /// creating, created, running or stopped.
    package var status: String
    package var pid: Int32
    package var bundle: String
    package var rootfs: String
    package var created: Date
    package var owner = ""
}
