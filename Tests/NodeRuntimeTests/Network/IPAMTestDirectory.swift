import Foundation
import Glibc

/// A scratch directory for one IPAM test, removed whether the test passes,
/// fails an expectation or throws. The body gets `<scratch>/ipam`, not yet
/// created, so every test also covers `PodIPAM` creating its directory.
func withIPAMTestDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    var base = NSTemporaryDirectory()
    while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
    var template = Array("\(base)/skiff-ipam-test-XXXXXX".utf8CString)
    let created = template.withUnsafeMutableBufferPointer { buffer in
        buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
    }
    guard let scratch = created else {
        throw IPAMTestError("mkdtemp failed: errno \(errno)")
    }
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    return try await body("\(scratch)/ipam")
}

/// Every file of an IPAM directory and its bytes, to show a failed call
/// changed nothing on disk.
func ipamDirectorySnapshot(_ directory: String) throws -> [String: Data] {
    var snapshot: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
        snapshot[name] = FileManager.default.contents(atPath: "\(directory)/\(name)")
    }
    return snapshot
}

struct IPAMTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
