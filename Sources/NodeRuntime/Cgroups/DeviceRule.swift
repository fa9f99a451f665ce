/// One line of the v1 devices controller's allow/deny syntax: `c 1:3 rwm`.
package struct DeviceRule: Sendable, Equatable, CustomStringConvertible {
    package enum Kind: String, Sendable {
        case character = "c"
        case block = "b"
        case all = "a"
    }

    package var kind: Kind
    /// nil means any (`*`).
    package var major: Int64?
    /// nil means any (`*`).
    package var minor: Int64?
    /// Some of "r", "w", "m" (read, write, mknod).
    package var access: String

    package init(_ kind: Kind, major: Int64?, minor: Int64?, access: String = "rwm") {
        self.kind = kind
        self.major = major
        self.minor = minor
        self.access = access
    }

    package var description: String {
        if kind == .all { return "a" }
        let major = major.map(String.init) ?? "*"
        let minor = minor.map(String.init) ?? "*"
        return "\(kind.rawValue) \(major):\(minor) \(access)"
    }

    /// The devices every OCI container gets (runc's and crun's default list):
    /// null, zero, full, random, urandom, tty, console, ptmx and the pts slaves.
    package static let standardContainer: [DeviceRule] = [
        DeviceRule(.character, major: 1, minor: 3),
        DeviceRule(.character, major: 1, minor: 5),
        DeviceRule(.character, major: 1, minor: 7),
        DeviceRule(.character, major: 1, minor: 8),
        DeviceRule(.character, major: 1, minor: 9),
        DeviceRule(.character, major: 5, minor: 0),
        DeviceRule(.character, major: 5, minor: 1),
        DeviceRule(.character, major: 5, minor: 2),
        DeviceRule(.character, major: 136, minor: nil),
    ]
}
