/// One line of `/proc/<pid>/mountinfo`, reduced to what cgroup detection needs.
///
/// Format (proc(5)): `id parent major:minor root mountpoint options [optional…] - fstype source superoptions`.
/// The number of optional fields varies, so the separator `-` is searched for
/// rather than counted.
package struct MountInfoEntry: Sendable, Equatable {
    /// The directory of the mounted filesystem that appears at `mountPoint`
    /// (for cgroupfs: the cgroup path that the mount point shows).
    package var root: String
    package var mountPoint: String
    package var fileSystemType: String
    /// Per-superblock options; for cgroup v1 these name the controllers.
    package var superOptions: [String]

    package init(root: String, mountPoint: String, fileSystemType: String, superOptions: [String]) {
        self.root = root
        self.mountPoint = mountPoint
        self.fileSystemType = fileSystemType
        self.superOptions = superOptions
    }

    /// Parses one line; nil when the line is malformed (never traps on input).
    package init?(line: Substring) {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        // Six fixed fields, then optional fields up to "-", then fstype and source.
        guard fields.count >= 9,
              let separator = fields[6...].firstIndex(of: "-"),
              separator + 2 < fields.count
        else { return nil }
        root = Self.unescape(fields[3])
        mountPoint = Self.unescape(fields[4])
        fileSystemType = String(fields[separator + 1])
        superOptions = separator + 3 < fields.count
            ? fields[separator + 3].split(separator: ",").map(String.init)
            : []
    }

    /// Undoes the kernel's octal escaping of space, tab, newline and backslash (`\040` → " ").
    static func unescape(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        let raw = Array(field.utf8)
        var index = 0
        while index < raw.count {
            if raw[index] == UInt8(ascii: "\\"), index + 3 < raw.count,
               let value = octal(raw[(index + 1)...(index + 3)]) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(raw[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Three octal digits → byte, or nil.
    private static func octal(_ digits: ArraySlice<UInt8>) -> UInt8? {
        guard digits.count == 3 else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { return nil }
            value = value * 8 + Int(digit - UInt8(ascii: "0"))
        }
        return value <= 255 ? UInt8(value) : nil
    }
}
