import Foundation
import Glibc

/// A scratch directory for one volume test. Whatever happens in the body,
/// every mount left below it is lazily unmounted and the tree removed, so a
/// failing test cannot leave tmpfs mounts on the machine.
func withVolumeScratch<T>(_ body: (String) async throws -> T) async throws -> T {
    var base = NSTemporaryDirectory()
    while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
    var template = Array("\(base)/skiff-volume-test-XXXXXX".utf8CString)
    let created = template.withUnsafeMutableBufferPointer { buffer in
        buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
    }
    guard let made = created, let resolved = realpath(made, nil) else {
        throw TestFailure("mkdtemp failed: errno \(errno)")
    }
    let scratch = String(cString: resolved)
    free(resolved)
    defer {
        for _ in 0..<8 {
            let mounted = testMountPoints(under: scratch)
            if mounted.isEmpty { break }
            for path in mounted.reversed() { _ = umount2(path, Int32(MNT_DETACH)) }
        }
        try? FileManager.default.removeItem(atPath: scratch)
    }
    return try await body(scratch)
}

/// Mount points at or below `directory`, read from /proc/self/mountinfo by the
/// test itself (independent of the code under test). Repeats stacked mounts.
func testMountPoints(under directory: String) -> [String] {
    testMountInfo().split(separator: "\n").compactMap { line -> String? in
        let fields = line.split(separator: " ")
        guard fields.count > 4 else { return nil }
        let point = fields[4].replacingOccurrences(of: "\\040", with: " ")
        return point == directory || point.hasPrefix(directory + "/") ? point : nil
    }
}

/// The filesystem types mounted exactly at `path`, in mount order.
func testMountTypes(at path: String) -> [String] {
    testMountInfo().split(separator: "\n").compactMap { line -> String? in
        let fields = line.split(separator: " ")
        guard fields.count > 4, fields[4] == path,
              let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count
        else { return nil }
        return String(fields[dash + 1])
    }
}

/// /proc/self/mountinfo read to the end with read(2). String(contentsOfFile:)
/// returns only its first ~4 KiB (procfs reports st_size 0), which hid mounts
/// once the table grew and let a failed cleanup go unnoticed.
func testMountInfo() -> String {
    let fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { return String(decoding: bytes, as: UTF8.self) }
        bytes.append(contentsOf: chunk[0..<count])
    }
}

/// lstat, or nil when nothing is there.
func testLstat(_ path: String) -> stat? {
    var info = stat()
    return lstat(path, &info) == 0 ? info : nil
}

/// Permission bits of `path` (following symlinks).
func testMode(_ path: String) -> UInt32? {
    var info = stat()
    return stat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
}

func testReadLink(_ path: String) -> String? {
    try? FileManager.default.destinationOfSymbolicLink(atPath: path)
}

/// Mounts a tmpfs (test setup: nested and stray mounts for teardown tests).
func testMountTmpfs(_ path: String) throws {
    guard mount("tmpfs", path, "tmpfs", 0, nil) == 0 else { throw TestFailure("mount tmpfs \(path): errno \(errno)") }
}

/// Mounting needs root (CAP_SYS_ADMIN).
var volumeTestsCanMount: Bool { geteuid() == 0 }

/// Creates or replaces a file with `text`.
func testWrite(_ path: String, _ text: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}
