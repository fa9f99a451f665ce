import Glibc

/// Names and finds the rotated siblings of a live log file.
///
/// kubelet renames `0.log` to `0.log.<YYYYMMDD-HHMMSS>` (here in UTC). Names must
/// sort in rotation order, because readers read them in that order and pruning
/// deletes from the front. So a rotation within the same second as the newest
/// rotated file (where kubelet's rename would silently overwrite it) gets a `.N`
/// counter, and a clock that stepped backwards reuses the newest stamp with the
/// next counter rather than sorting before older files. Ordering compares the
/// stamp, then the counter numerically. Anything else in the directory
/// (kubelet's `.gz` and `.tmp` files, other containers' logs) is ignored.
package enum RotatedLogFiles {
    private struct Rotated {
        var stamp: String
        var counter: Int
        var path: String
    }

    /// The name for rotating `path` at `time`: new, and sorting after every
    /// existing rotated file.
    package static func nextName(for path: String, at time: LogTimestamp) -> String {
        let c = time.civil
        var stamp = ""
        for (value, width) in [(Int(c.year), 4), (c.month, 2), (c.day, 2)] { stamp += pad(value, width) }
        stamp += "-"
        for (value, width) in [(c.hour, 2), (c.minute, 2), (c.second, 2)] { stamp += pad(value, width) }
        var counter = 0
        if let newest = scan(path).last, newest.stamp >= stamp {
            stamp = newest.stamp
            counter = newest.counter + 1
        }
        return counter == 0 ? "\(path).\(stamp)" : "\(path).\(stamp).\(counter)"
    }

    /// Rotated files of `path`, oldest first, as full paths. Unreadable
    /// directories yield an empty list: there is simply nothing rotated to read.
    package static func list(for path: String) -> [String] {
        scan(path).map(\.path)
    }

    private static func scan(_ path: String) -> [Rotated] {
        let (directory, name) = split(path)
        guard let dir = opendir(directory.isEmpty ? "." : directory) else { return [] }
        defer { closedir(dir) }
        let prefix = name + "."
        var found: [Rotated] = []
        while let entry = readdir(dir) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard entryName.hasPrefix(prefix),
                let key = sortKey(suffix: entryName.dropFirst(prefix.count))
            else { continue }
            found.append(Rotated(stamp: key.stamp, counter: key.counter, path: join(directory, entryName)))
        }
        found.sort { ($0.stamp, $0.counter) < ($1.stamp, $1.counter) }
        return found
    }

    /// `20261127-234102` → ("20261127-234102", 0); `20261127-234102.3` → (…, 3).
    private static func sortKey(suffix: Substring) -> (stamp: String, counter: Int)? {
        let parts = suffix.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let stamp = parts[0]
        let isDigit: (Character) -> Bool = { $0.isASCII && $0.isNumber }
        guard stamp.count == 15, stamp.dropFirst(8).first == "-",
            stamp.prefix(8).allSatisfy(isDigit), stamp.suffix(6).allSatisfy(isDigit)
        else { return nil }
        var counter = 0
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(isDigit), let value = Int(parts[1]) else { return nil }
            counter = value
        }
        return (String(stamp), counter)
    }

    private static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    private static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : "\(directory)/\(name)"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
