import Foundation
import Glibc
import Testing
@testable import NodeRuntime

@Suite(.enabled(if: volumeTestsCanMount, "mounts tmpfs: needs root"))
struct ProjectedFilesVolumeTests {
    @Test func filesArePublishedThroughDataAndTopLevelLinksOnATmpfs() async throws {
        try await withVolumeScratch { scratch in
            let path = scratch + "/pods/p/volumes/kubernetes.io~secret/creds"
            let changed = try await ProjectedFilesVolume.update(at: path, files: [
                "username": ProjectedFile("admin", mode: 0o644),
                "password": ProjectedFile("s3cret", mode: 0o400),
                "tls/./tls.crt": ProjectedFile("CERT", mode: 0o440),
                "tls//tls.key": ProjectedFile("KEY", mode: 0o400),
            ])
            #expect(changed)
            #expect(testMountTypes(at: path) == ["tmpfs"], "secrets never touch the disk")

            let version = try #require(testReadLink(path + "/..data"))
            #expect(version.range(of: #"^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d+$"#, options: .regularExpression) != nil, "\(version)")
            #expect(testMode(path + "/" + version) == 0o755)
            #expect(testReadLink(path + "/username") == "..data/username")
            #expect(testReadLink(path + "/password") == "..data/password")
            #expect(testReadLink(path + "/tls") == "..data/tls", "one link per top-level entry")
            #expect(FileManager.default.contents(atPath: path + "/username") == Data("admin".utf8))
            #expect(FileManager.default.contents(atPath: path + "/tls/tls.key") == Data("KEY".utf8))
            #expect(testMode(path + "/password") == 0o400)
            #expect(testMode(path + "/tls/tls.crt") == 0o440)
            #expect(testMode(path + "/tls") == 0o755)
            let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            #expect(names == ["..data", version, "password", "tls", "username"].sorted())
        }
    }

    @Test func anUnchangedSetIsNotRewritten() async throws {
        try await withVolumeScratch { scratch in
            let path = scratch + "/vol"
            let files = ["a": ProjectedFile("1"), "d/b": ProjectedFile("2", mode: 0o600)]
            let changed1 = try await ProjectedFilesVolume.update(at: path, files: files)
            #expect(changed1)
            let version = testReadLink(path + "/..data")
            let changed2 = try await ProjectedFilesVolume.update(at: path, files: files)
            #expect(changed2 == false)
            #expect(testReadLink(path + "/..data") == version)
            #expect(testMountTypes(at: path) == ["tmpfs"], "re-adopted, not mounted twice")
        }
    }

    @Test func changesSwapTheVersionAndDropWhatIsGone() async throws {
        try await withVolumeScratch { scratch in
            let path = scratch + "/vol"
            _ = try await ProjectedFilesVolume.update(at: path, files: [
                "keep": ProjectedFile("v1"), "drop": ProjectedFile("x"), "dir/old": ProjectedFile("o"),
            ])
            let first = try #require(testReadLink(path + "/..data"))

            let changed3 = try await ProjectedFilesVolume.update(at: path, files: [
                "keep": ProjectedFile("v2"), "dir/new": ProjectedFile("n"),
            ])
            #expect(changed3)
            let second = try #require(testReadLink(path + "/..data"))
            #expect(second != first)
            #expect(testLstat(path + "/" + first) == nil, "the previous version is removed")
            #expect(testLstat(path + "/drop") == nil, "links of dropped keys are removed")
            #expect(testLstat(path + "/..data_tmp") == nil)
            #expect(FileManager.default.contents(atPath: path + "/keep") == Data("v2".utf8))
            #expect(FileManager.default.contents(atPath: path + "/dir/new") == Data("n".utf8))
            #expect(testLstat(path + "/dir/old") == nil)

            // A mode change alone is a change too.
            let changed4 = try await ProjectedFilesVolume.update(at: path, files: [
                "keep": ProjectedFile("v2", mode: 0o600), "dir/new": ProjectedFile("n"),
            ])
            #expect(changed4)
            #expect(testMode(path + "/keep") == 0o600)

            // Removing the last key leaves an empty, still consistent volume.
            let changed5 = try await ProjectedFilesVolume.update(at: path, files: [:])
            #expect(changed5)
            let names = try FileManager.default.contentsOfDirectory(atPath: path)
            #expect(names.count == 2 && names.contains("..data"), "\(names)")
        }
    }

    @Test func pathsThatEscapeAreRefusedBeforeAnythingIsMounted() async throws {
        try await withVolumeScratch { scratch in
            let path = scratch + "/vol"
            let cases: [(String, String)] = [
                ("/etc/passwd", "invalid path: must be relative path: /etc/passwd"),
                ("../x", "invalid path: must not contain '..': ../x"),
                ("a/../../b", "invalid path: must not contain '..': a/../../b"),
                ("..data", "invalid path: must not start with '..': ..data"),
                ("", "invalid path: must not be empty: \"\""),
                (String(repeating: "n", count: 256), "invalid path: filenames must be less than or equal to 255 characters"),
            ]
            for (name, message) in cases {
                await #expect(throws: VolumeError.invalidProjectedPath(message)) {
                    _ = try await ProjectedFilesVolume.update(at: path, files: ["ok": ProjectedFile("1"), name: ProjectedFile("2")])
                }
            }
            #expect(testMountTypes(at: path).isEmpty)
            #expect(testLstat(path) == nil)
        }
    }

    @Test func fsGroupOwnsTheFilesAndCanReadThem() async throws {
        try await withVolumeScratch { scratch in
            let path = scratch + "/vol"
            _ = try await ProjectedFilesVolume.update(
                at: path, files: ["token": ProjectedFile("t", mode: 0o400), "sub/ca": ProjectedFile("c", mode: 0o400)],
                fsGroup: 2345)
            for file in ["token", "sub/ca"] {
                var info = stat()
                #expect(stat(path + "/" + file, &info) == 0)
                #expect(info.st_gid == 2345)
                #expect(info.st_mode & 0o7777 == 0o440, "group read added to \(file)")
            }
            var directory = stat()
            #expect(stat(path + "/sub", &directory) == 0)
            #expect(directory.st_gid == 2345)
            #expect(directory.st_mode & 0o2000 != 0, "setgid, as the kubelet sets it on fsGroup directories")
            // Same content and group: nothing to do.
            let changed6 = try await ProjectedFilesVolume.update(
                at: path, files: ["token": ProjectedFile("t", mode: 0o400), "sub/ca": ProjectedFile("c", mode: 0o400)],
                fsGroup: 2345)
            #expect(changed6 == false)
        }
    }

    /// Readers resolving the volume while it is replaced over and over see one
    /// generation at a time: both files of a version agree, and a file read
    /// through its top-level link is always complete.
    @Test func readersNeverSeeAMixOfVersions() async throws {
        try await withVolumeScratch { scratch in
            let path = scratch + "/vol"
            let size = 64 * 1024
            func payload(_ generation: Int) -> [String: ProjectedFile] {
                let byte = UInt8(ascii: "A") + UInt8(generation % 26)
                let bytes = [UInt8](repeating: byte, count: size)
                return ["a": ProjectedFile(bytes: bytes), "nested/b": ProjectedFile(bytes: bytes)]
            }
            _ = try await ProjectedFilesVolume.update(at: path, files: payload(0))

            let reader = ConsistencyReader(volume: path, size: size)
            let thread = Thread { reader.run() }
            thread.start()
            for generation in 1...150 {
                let changed7 = try await ProjectedFilesVolume.update(at: path, files: payload(generation))
                #expect(changed7)
            }
            reader.stop()
            let result = reader.result()
            #expect(result.mixed == 0, "\(result.mixed) reads mixed two versions")
            #expect(result.torn == 0, "\(result.torn) reads of a/ saw a partial or mixed file")
            #expect(result.consistentPairs > 0 && result.directReads > 0, "the reader did read: \(result)")
        }
    }
}

/// Reads the volume in a loop on its own thread, the way a container would:
/// resolve `..data` once and read both files from that version, and read `a`
/// through its top-level link.
private final class ConsistencyReader: @unchecked Sendable {
    struct Result: CustomStringConvertible {
        var consistentPairs = 0
        var directReads = 0
        var mixed = 0
        var torn = 0
        var description: String { "pairs \(consistentPairs), direct \(directReads), mixed \(mixed), torn \(torn)" }
    }

    private let volume: String
    private let size: Int
    private let lock = NSLock()
    private var stopped = false
    private var counts = Result()
    private let done = DispatchSemaphore(value: 0)

    init(volume: String, size: Int) {
        self.volume = volume
        self.size = size
    }

    func run() {
        defer { done.signal() }
        while !lock.withLock({ stopped }) {
            var local = Result()
            let version = open(volume + "/..data", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if version >= 0 {
                // A version removed after we resolved it reads as missing files: retry, never a mix.
                if let a = read(at: version, "a"), let b = read(at: version, "nested/b") {
                    if a.count == size && a == b && Set(a).count == 1 { local.consistentPairs += 1 } else { local.mixed += 1 }
                }
                close(version)
            }
            if let direct = read(at: AT_FDCWD, volume + "/a") {
                if direct.count == size && Set(direct).count == 1 { local.directReads += 1 } else { local.torn += 1 }
            }
            lock.withLock {
                counts.consistentPairs += local.consistentPairs
                counts.directReads += local.directReads
                counts.mixed += local.mixed
                counts.torn += local.torn
            }
        }
    }

    func stop() {
        lock.withLock { stopped = true }
        done.wait()
    }

    func result() -> Result { lock.withLock { counts } }

    private func read(at directory: Int32, _ path: String) -> [UInt8]? {
        let fd = openat(directory, path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { return count == 0 ? bytes : nil }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}
