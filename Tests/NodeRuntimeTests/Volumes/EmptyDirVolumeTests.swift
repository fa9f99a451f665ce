import Foundation
import Glibc
import Testing
@testable import NodeRuntime

@Suite(.enabled(if: volumeTestsCanMount, "mounts tmpfs: needs root"))
struct EmptyDirVolumeTests {
    @Test func diskMediumIsADirectoryEveryoneCanWrite() async throws {
        try await withVolumeScratch { scratch in
            let path = try PodVolumeLayout(root: scratch + "/pods", podUID: "p1").path(.emptyDir, name: "cache")
            try await EmptyDirVolume.setUp(at: path, medium: .disk)
            let info = try #require(testLstat(path))
            #expect(info.st_mode & S_IFMT == S_IFDIR)
            // 0777 exactly, although mkdir under the usual umask 022 would give 0755.
            #expect(info.st_mode & 0o7777 == 0o777)
            #expect(testMountTypes(at: path).isEmpty)

            try testWrite(path + "/kept", "x")
            try await EmptyDirVolume.setUp(at: path, medium: .disk)
            #expect(FileManager.default.fileExists(atPath: path + "/kept"))
        }
    }

    @Test func memoryMediumIsATmpfsOfTheSizeLimit() async throws {
        try await withVolumeScratch { scratch in
            let path = try PodVolumeLayout(root: scratch + "/pods", podUID: "p1").path(.emptyDir, name: "shm")
            try await EmptyDirVolume.setUp(at: path, medium: .memory, sizeLimitBytes: 4 << 20)
            #expect(testMountTypes(at: path) == ["tmpfs"])
            var fs = statvfs()
            #expect(statvfs(path, &fs) == 0)
            #expect(UInt64(fs.f_blocks) * UInt64(fs.f_frsize) == 4 << 20)

            // The limit holds: a 5 MiB write runs out of space.
            let fd = open(path + "/big", O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            #expect(fd >= 0)
            let chunk = [UInt8](repeating: 7, count: 1 << 20)
            var failure: Int32 = 0
            for _ in 0..<5 where failure == 0 {
                if write(fd, chunk, chunk.count) < chunk.count { failure = errno }
            }
            close(fd)
            #expect(failure == ENOSPC)
        }
    }

    @Test func settingUpAgainReadoptsTheMountedTmpfs() async throws {
        try await withVolumeScratch { scratch in
            let path = scratch + "/pods/p1/volumes/kubernetes.io~empty-dir/shm"
            try await EmptyDirVolume.setUp(at: path, medium: .memory, sizeLimitBytes: 1 << 20)
            try testWrite(path + "/state", "alive")
            try await EmptyDirVolume.setUp(at: path, medium: .memory, sizeLimitBytes: 1 << 20)
            #expect(testMountTypes(at: path) == ["tmpfs"], "one mount, not a second one stacked on it")
            #expect(FileManager.default.contents(atPath: path + "/state") == Data("alive".utf8))
        }
    }

    @Test func memoryMediumWithoutALimitGetsTheKernelDefaultOfHalfTheRAM() async throws {
        try await withVolumeScratch { scratch in
            let path = scratch + "/shm"
            try await EmptyDirVolume.setUp(at: path, medium: .memory, sizeLimitBytes: nil)
            var fs = statvfs()
            #expect(statvfs(path, &fs) == 0)
            let size = UInt64(fs.f_blocks) * UInt64(fs.f_frsize)
            let halfRAM = UInt64(sysconf(Int32(_SC_PHYS_PAGES))) * UInt64(sysconf(Int32(_SC_PAGESIZE))) / 2
            #expect(size > halfRAM - (1 << 20) && size <= halfRAM + (1 << 20), "\(size) vs \(halfRAM)")
        }
    }

    @Test func aDiskMediumOnAMountPointIsRefused() async throws {
        try await withVolumeScratch { scratch in
            let path = scratch + "/vol"
            try await EmptyDirVolume.setUp(at: path, medium: .memory)
            await #expect(throws: VolumeError.unexpectedMount(path: path, fileSystemType: "tmpfs", expected: "a directory")) {
                try await EmptyDirVolume.setUp(at: path, medium: .disk)
            }
        }
    }

    @Test func storageMediumValues() {
        #expect(EmptyDirMedium(storageMedium: "") == .disk)
        #expect(EmptyDirMedium(storageMedium: "Memory") == .memory)
        #expect(EmptyDirMedium(storageMedium: "HugePages-2Mi") == nil)
    }
}
