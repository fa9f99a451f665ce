import Foundation
import Glibc
import Testing
@testable import NodeRuntime

/// hostPath types and the kubelet's messages. Needs no privilege except where
/// noted; runs in a scratch directory.
@Suite struct HostPathVolumeTests {
    @Test func unsetTypeChecksNothing() async throws {
        try await withVolumeScratch { scratch in
            try await HostPathVolume.prepare(path: scratch + "/missing", type: "")
            #expect(testLstat(scratch + "/missing") == nil, "nothing is created either")
        }
    }

    @Test func directoryOrCreateMakesTheMissingDirectories0755() async throws {
        try await withVolumeScratch { scratch in
            let path = scratch + "/a/b/c"
            try await HostPathVolume.prepare(path: path, type: "DirectoryOrCreate")
            #expect(testLstat(path).map { $0.st_mode & S_IFMT == S_IFDIR } == true)
            #expect(testMode(path) == 0o755)
            #expect(testMode(scratch + "/a") == 0o755)
            // Existing: accepted as it is.
            try await HostPathVolume.prepare(path: path, type: "DirectoryOrCreate")
        }
    }

    @Test func fileOrCreateMakesAnEmptyFile0644AndKeepsAnExistingOne() async throws {
        try await withVolumeScratch { scratch in
            let path = scratch + "/f"
            try await HostPathVolume.prepare(path: path, type: "FileOrCreate")
            #expect(testLstat(path).map { $0.st_mode & S_IFMT == S_IFREG && $0.st_size == 0 } == true)
            #expect(testMode(path) == 0o644)
            try Data("keep".utf8).write(to: URL(fileURLWithPath: path))
            try await HostPathVolume.prepare(path: path, type: "FileOrCreate")
            #expect(FileManager.default.contents(atPath: path) == Data("keep".utf8))
        }
    }

    @Test func fileOrCreateOnADirectorySaysSo() async throws {
        try await withVolumeScratch { scratch in
            #expect(await failure(scratch, "FileOrCreate")
                == "hostPath type check failed: \(scratch) is not a file, it's a Directory")
        }
    }

    @Test func mismatchesUseTheKubeletWording() async throws {
        try await withVolumeScratch { scratch in
            let file = scratch + "/file"
            try testWrite(file, "")
            let cases: [(String, String, String)] = [
                (file, "Directory", "hostPath type check failed: \(file) is not a directory, it's a File"),
                (file, "DirectoryOrCreate", "hostPath type check failed: \(file) is not a directory, it's a File"),
                (scratch, "File", "hostPath type check failed: \(scratch) is not a file, it's a Directory"),
                (file, "Socket", "hostPath type check failed: \(file) is not a socket file, it's a File"),
                (file, "CharDevice", "hostPath type check failed: \(file) is not a character device, it's a File"),
                ("/dev/null", "BlockDevice", "hostPath type check failed: /dev/null is not a block device, it's a CharDevice"),
                (scratch + "/none", "Directory", "hostPath \(scratch)/none doesn't exist"),
                (scratch + "/none", "File", "hostPath \(scratch)/none doesn't exist"),
                (file, "Dir", "Dir is an invalid volume type"),
            ]
            for (path, type, message) in cases {
                #expect(await failure(path, type) == message, "\(type) \(path)")
            }
        }
    }

    @Test func matchingKindsPassAndSymlinksAreFollowed() async throws {
        try await withVolumeScratch { scratch in
            let file = scratch + "/file"
            try testWrite(file, "")
            try FileManager.default.createSymbolicLink(atPath: scratch + "/link", withDestinationPath: scratch)
            let socketPath = scratch + "/sock"
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            #expect(fd >= 0)
            defer { close(fd) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in socketPath.utf8.enumerated() where index < raw.count - 1 { raw[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            #expect(bound == 0)

            try await HostPathVolume.prepare(path: scratch, type: "Directory")
            try await HostPathVolume.prepare(path: scratch + "/link", type: "Directory")
            try await HostPathVolume.prepare(path: file, type: "File")
            try await HostPathVolume.prepare(path: socketPath, type: "Socket")
            try await HostPathVolume.prepare(path: "/dev/null", type: "CharDevice")
        }
    }

    @Test func aFIFOCannotBeClassified() async throws {
        try await withVolumeScratch { scratch in
            let fifo = scratch + "/fifo"
            #expect(mkfifo(fifo, 0o600) == 0)
            #expect(await failure(fifo, "File")
                == "hostPath type check failed, \(fifo) is not a file, unable to determine its type: "
                + "only recognise file, directory, socket, block device and character device")
        }
    }

    /// The error `prepare` throws, as the pod's event would show it; nil when it passes.
    private func failure(_ path: String, _ type: String) async -> String? {
        do {
            try await HostPathVolume.prepare(path: path, type: type)
            return nil
        } catch {
            return "\(error)"
        }
    }
}
