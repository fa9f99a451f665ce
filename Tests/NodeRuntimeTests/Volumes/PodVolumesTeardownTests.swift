import Foundation
import Glibc
import Testing
@testable import NodeRuntime

@Suite(.enabled(if: volumeTestsCanMount, "mounts tmpfs: needs root"))
struct PodVolumesTeardownTests {
    @Test func tearDownUnmountsEverythingAndRemovesThePodWithoutTouchingWhatLinksPointTo() async throws {
        try await withVolumeScratch { scratch in
            // Outside the pod: what a symlink or a bind mount in a volume points at.
            let outside = scratch + "/host-data"
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            try testWrite(outside + "/precious", "keep")

            let volumes = PodVolumes(root: scratch + "/pods")
            let layout = try volumes.layout(podUID: "pod-1")
            let disk = try layout.path(.emptyDir, name: "disk")
            let memory = try layout.path(.emptyDir, name: "memory")
            let secret = try layout.path(.secret, name: "creds")
            try await EmptyDirVolume.setUp(at: disk, medium: .disk)
            try await EmptyDirVolume.setUp(at: memory, medium: .memory, sizeLimitBytes: 1 << 20)
            _ = try await ProjectedFilesVolume.update(at: secret, files: ["k": ProjectedFile("v")])

            // What a container may leave behind: nested dirs, links out, odd names,
            // a mount inside a mount, and a stacked mount.
            try FileManager.default.createDirectory(atPath: disk + "/x/y", withIntermediateDirectories: true)
            try testWrite(disk + "/x/y/file", "1")
            try FileManager.default.createSymbolicLink(atPath: disk + "/escape", withDestinationPath: outside)
            try FileManager.default.createSymbolicLink(atPath: memory + "/root", withDestinationPath: "/")
            // A name that is not UTF-8 (a raw 0xFF byte).
            let oddName: [CChar] = Array((disk + "/odd-").utf8CString.dropLast()) + [CChar(bitPattern: 0xFF), 0]
            let oddFD = open(oddName, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            #expect(oddFD >= 0)
            close(oddFD)
            try FileManager.default.createDirectory(atPath: memory + "/inner", withIntermediateDirectories: true)
            try testMountTmpfs(memory + "/inner")
            try testWrite(memory + "/inner/f", "")
            try testMountTmpfs(memory) // stacked on the emptyDir's own tmpfs
            try FileManager.default.createDirectory(atPath: disk + "/bound", withIntermediateDirectories: true)
            #expect(mount(outside, disk + "/bound", nil, UInt(MS_BIND), nil) == 0)
            #expect(testMountPoints(under: layout.podDirectory).count == 5)

            try await volumes.tearDown(podUID: "pod-1")
            #expect(testMountPoints(under: layout.podDirectory).isEmpty)
            #expect(testLstat(layout.podDirectory) == nil)
            #expect(FileManager.default.contents(atPath: outside + "/precious") == Data("keep".utf8))
            #expect(testLstat(scratch + "/pods") != nil, "other pods' root stays")

            // Idempotent: already gone, and never set up.
            try await volumes.tearDown(podUID: "pod-1")
            try await volumes.tearDown(podUID: "pod-never")
        }
    }

    @Test func removalRefusesToEnterAnotherFilesystem() async throws {
        try await withVolumeScratch { scratch in
            let storage = LocalPathStorage(root: scratch + "/storage")
            let volume = try await storage.provision(name: "pvc-1")
            try FileManager.default.createDirectory(atPath: volume + "/mnt", withIntermediateDirectories: true)
            try testWrite(volume + "/top", "")
            try testMountTmpfs(volume + "/mnt")
            try testWrite(volume + "/mnt/inside", "x")

            await #expect(throws: VolumeError.stillMounted([volume + "/mnt"])) { try await storage.delete(name: "pvc-1") }
            #expect(FileManager.default.fileExists(atPath: volume + "/mnt/inside"))
            #expect(FileManager.default.fileExists(atPath: volume + "/top"), "nothing is deleted when a mount remains")
        }
    }
}

@Suite struct LocalPathVolumeTests {
    @Test func provisionMakesAWorldWritableDirectoryAndKeepsData() async throws {
        try await withVolumeScratch { scratch in
            let storage = LocalPathStorage(root: scratch + "/local-path/")
            let path = try await storage.provision(name: "pvc-abc_default_data")
            #expect(path == scratch + "/local-path/pvc-abc_default_data")
            #expect(testMode(path) == 0o777)
            try testWrite(path + "/db", "rows")
            #expect(try await storage.provision(name: "pvc-abc_default_data") == path)
            #expect(FileManager.default.contents(atPath: path + "/db") == Data("rows".utf8))
        }
    }

    @Test func deleteRemovesTheTreeButNotWhatItLinksTo() async throws {
        try await withVolumeScratch { scratch in
            let outside = scratch + "/outside"
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            try testWrite(outside + "/keep", "")
            let storage = LocalPathStorage(root: scratch + "/local-path")
            let path = try await storage.provision(name: "pvc-1")
            try FileManager.default.createDirectory(atPath: path + "/a/b", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: path + "/a/out", withDestinationPath: outside)
            try FileManager.default.createSymbolicLink(atPath: path + "/a/b/outfile", withDestinationPath: outside + "/keep")

            try await storage.delete(name: "pvc-1")
            #expect(testLstat(path) == nil)
            #expect(FileManager.default.fileExists(atPath: outside + "/keep"))
            try await storage.delete(name: "pvc-1")
        }
    }

    @Test func namesMustBeOneComponent() async throws {
        let storage = LocalPathStorage(root: "/nonexistent")
        await #expect(throws: VolumeError.invalidName(kind: "volume name", name: "../etc")) {
            try await storage.delete(name: "../etc")
        }
    }
}
