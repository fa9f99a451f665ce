/// The parts of an image's config that decide how its containers start,
/// copied out of the config blob at import so starting a pod never has to
/// parse blobs again.
package struct ImageConfig: Codable, Equatable, Sendable {
    /// `Entrypoint`; a pod's `command` replaces it.
    package var entrypoint: [String]
    /// `Cmd`; a pod's `args` replaces it.
    package var cmd: [String]
    /// `Env` as `KEY=value` strings, in image order.
    package var env: [String]
    /// `WorkingDir`, empty when the image does not set one.
    package var workingDir: String
    /// `User` (`name`, `uid`, `uid:gid`...), empty for the runtime default.
    package var user: String
    /// `ExposedPorts` keys such as `8083/tcp`, sorted.
    package var exposedPorts: [String]
    /// `StopSignal`, empty when unset (SIGTERM).
    package var stopSignal: String

    package init(
        entrypoint: [String] = [], cmd: [String] = [], env: [String] = [], workingDir: String = "",
        user: String = "", exposedPorts: [String] = [], stopSignal: String = ""
    ) {
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.env = env
        self.workingDir = workingDir
        self.user = user
        self.exposedPorts = exposedPorts
        self.stopSignal = stopSignal
    }
}
