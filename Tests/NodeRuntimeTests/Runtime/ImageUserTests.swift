import Foundation
import Glibc
import Testing
@testable import NodeRuntime

/// The image's `User` resolved against the passwd/group files in its layers.
@Suite struct ImageUserTests {
    @Test func namesNumbersGroupsAndWhiteouts() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-user-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let lower = "\(base)/lower", upper = "\(base)/upper"
        try FileManager.default.createDirectory(atPath: "\(lower)/etc", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(upper)/etc", withIntermediateDirectories: true)
        try "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n".write(toFile: "\(lower)/etc/passwd", atomically: true, encoding: .utf8)
        try "root:x:0:\napp:x:1000:\nstaff:x:50:app,other\n".write(toFile: "\(lower)/etc/group", atomically: true, encoding: .utf8)

        #expect(try ImageUser.resolve("", lowerDirs: [upper, lower]) == .init(uid: 0, gid: 0, additionalGids: []))
        #expect(try ImageUser.resolve("app", lowerDirs: [upper, lower]) == .init(uid: 1000, gid: 1000, additionalGids: [50]))
        #expect(try ImageUser.resolve("1000:50", lowerDirs: [upper, lower]).gid == 50)
        #expect(try ImageUser.resolve("app:staff", lowerDirs: [upper, lower]).gid == 50)
        // A uid without an entry keeps gid 0, as containerd does.
        #expect(try ImageUser.resolve("4321", lowerDirs: [upper, lower]) == .init(uid: 4321, gid: 0, additionalGids: []))
        #expect(throws: RuntimeError.self) { try ImageUser.resolve("nobody", lowerDirs: [upper, lower]) }

        // An upper layer's whiteout deletes /etc/passwd for every layer below.
        #expect(mknod("\(upper)/etc/passwd", S_IFCHR | 0o000, 0) == 0)
        #expect {
            try ImageUser.resolve("app", lowerDirs: [upper, lower])
        } throws: { error in
            "\(error)" == "image user \"app\": no user \"app\" in the image's /etc/passwd"
        }
    }
}
