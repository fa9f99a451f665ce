import Foundation

/// Resolves an image's `User` ("1000", "app", "app:staff", "1000:1000")
/// against the /etc/passwd and /etc/group found in its layers, top-most
/// first, as Docker and containerd do before the container starts.
package enum ImageUser {
    package struct Resolved: Equatable, Sendable {
        package var uid: UInt32
        package var gid: UInt32
        package var additionalGids: [UInt32]
    }

    package static func resolve(_ user: String, lowerDirs: [String]) throws -> Resolved {
        if user.isEmpty { return Resolved(uid: 0, gid: 0, additionalGids: []) }
        let parts = user.split(separator: ":", maxSplits: 1).map(String.init)
        let passwd = file("etc/passwd", in: lowerDirs)
        let groups = file("etc/group", in: lowerDirs)
        var uid: UInt32
        var gid: UInt32 = 0
        var userName: String?
        if let number = UInt32(parts[0]) {
            uid = number
            if let entry = passwdEntry(passwd, matching: { $0[2] == parts[0] }) {
                gid = UInt32(entry[3]) ?? 0
                userName = entry[0]
            }
        } else {
            guard let entry = passwdEntry(passwd, matching: { $0[0] == parts[0] }),
                let parsedUID = UInt32(entry[2])
            else {
                throw RuntimeError("image user \"\(user)\": no user \"\(parts[0])\" in the image's /etc/passwd")
            }
            uid = parsedUID
            gid = UInt32(entry[3]) ?? 0
            userName = entry[0]
        }
        if parts.count == 2 {
            if let number = UInt32(parts[1]) {
                gid = number
            } else {
                guard let entry = groupEntries(groups).first(where: { $0[0] == parts[1] }), let number = UInt32(entry[2]) else {
                    throw RuntimeError("image user \"\(user)\": no group \"\(parts[1])\" in the image's /etc/group")
                }
                gid = number
            }
        }
        var additional: [UInt32] = []
        if let userName {
            for entry in groupEntries(groups) where entry.count > 3 {
                let members = entry[3].split(separator: ",").map(String.init)
                if members.contains(userName), let number = UInt32(entry[2]), number != gid { additional.append(number) }
            }
        }
        return Resolved(uid: uid, gid: gid, additionalGids: additional)
    }

    private static func file(_ relative: String, in lowerDirs: [String]) -> String {
        for dir in lowerDirs {
            let path = "\(dir)/\(relative)"
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { continue }
            // A whiteout (char device) deletes the file for every layer below it.
            if attributes[.type] as? FileAttributeType == .typeCharacterSpecial { return "" }
            // Only regular files: an image symlink must not make us read host files.
            guard attributes[.type] as? FileAttributeType == .typeRegular,
                let data = FileManager.default.contents(atPath: path)
            else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
        return ""
    }

    private static func passwdEntry(_ text: String, matching: ([String]) -> Bool) -> [String]? {
        text.split(separator: "\n").map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
            .first { $0.count >= 4 && matching($0) }
    }

    private static func groupEntries(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
            .filter { $0.count >= 3 }
    }
}
