import Foundation
import Glibc
import NodeRuntime
import Testing

/// Layers and checks shared by the image store tests.
enum ImageStoreFixtures {
    static let refName = "org.opencontainers.image.ref.name"
    static let containerdName = "io.containerd.image.name"

    /// The OCI architecture name of this machine, as the store picks it.
    static var hostArchitecture: String {
        #if arch(x86_64)
        "amd64"
        #elseif arch(arm64)
        "arm64"
        #else
        "unknown"
        #endif
    }

    /// Files, a directory with a narrow mode, a symlink and a hard link.
    static func basicLayer(_ marker: String = "one") -> [UInt8] {
        TarArchiveBuilder([
            .directory("etc/"),
            .file("etc/hostname", "demo-\(marker)\n"),
            .directory("bin/"),
            .file("bin/tool", "#!/bin/sh\necho \(marker)\n", mode: 0o755, uid: 1000),
            .symlink("bin/link", target: "tool"),
            .hardlink("bin/hard", target: "bin/tool"),
            .directory("private/", mode: 0o700),
        ]).archive
    }

    /// A one-file layer, distinct per `name`.
    static func fileLayer(_ name: String) -> [UInt8] {
        TarArchiveBuilder([.directory("app/"), .file("app/\(name)", "content of \(name)\n")]).archive
    }

    /// Builds an OCI layout with one image per `(layers, annotations)`.
    @discardableResult
    static func ociLayout(
        at directory: String, images: [(layers: [[UInt8]], annotations: [String: String])],
        compression: ImageLayoutBuilder.Compression = .gzip
    ) throws -> [ImageLayoutBuilder.BuiltImage] {
        let layout = try ImageLayoutBuilder(at: directory)
        var built: [ImageLayoutBuilder.BuiltImage] = []
        var descriptors: [[String: Any]] = []
        for image in images {
            let result = try layout.addImage(layers: image.layers, compression: compression)
            built.append(result)
            descriptors.append(ImageLayoutBuilder.descriptor(result, annotations: image.annotations))
        }
        try layout.writeIndex(descriptors)
        return built
    }

    static func stat(_ path: String) -> Glibc.stat? {
        var info = Glibc.stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    static func contents(_ path: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: path))).map { String(decoding: $0, as: UTF8.self) }
    }

    static func symlinkTarget(_ path: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: path)
    }

    /// An extended attribute's value (Foundation reads them on Linux too;
    /// Glibc's module does not export getxattr).
    static func xattr(_ path: String, _ name: String) -> String? {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let xattrs = attributes?[FileAttributeKey("NSFileExtendedAttributes")] as? [String: Data]
        return xattrs?[name].map { String(decoding: $0, as: UTF8.self) }
    }

    /// True for the overlayfs whiteout form: a character device 0:0.
    static func isWhiteout(_ path: String) -> Bool {
        guard let info = stat(path) else { return false }
        return info.st_mode & S_IFMT == S_IFCHR && info.st_rdev == 0
    }

    /// The process umask as the kernel reports it; reading it with umask(2)
    /// would itself change it for a moment.
    static func processUmask() -> String? {
        contents("/proc/self/status")?.split(separator: "\n").first { $0.hasPrefix("Umask:") }.map(String.init)
    }

    static func names(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// Runs `import` expecting a failure; checks the message names the
    /// archive and each fragment, and that the store did not change at all.
    static func expectImportFails(
        _ store: ImageStore, _ path: String, mentioning fragments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try imageStoreSnapshot(store.root)
        do {
            let records = try store.importArchive(path: path)
            Issue.record("import of \(path) succeeded with \(records.map(\.id))", sourceLocation: sourceLocation)
        } catch let error as RuntimeError {
            #expect(error.message.hasPrefix("cannot import \(path): "), "\(error.message)", sourceLocation: sourceLocation)
            for fragment in fragments {
                #expect(error.message.contains(fragment), "\(error.message) lacks \(fragment)", sourceLocation: sourceLocation)
            }
        }
        let after = try imageStoreSnapshot(store.root)
        #expect(before == after, "store changed: \(Set(before.keys).symmetricDifference(after.keys).sorted())", sourceLocation: sourceLocation)
    }

    /// Mounts an overlay of `lowerDirs` at `directory/merged` and runs `body`
    /// with its path; returns false without running `body` when this kernel
    /// or sandbox refuses overlay mounts.
    static func withOverlay(lowerDirs: [String], in directory: String, _ body: (String) throws -> Void) throws -> Bool {
        let merged = "\(directory)/merged"
        let upper = "\(directory)/upper"
        let work = "\(directory)/work"
        for path in [merged, upper, work] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        let options = "lowerdir=\(lowerDirs.joined(separator: ":")),upperdir=\(upper),workdir=\(work)"
        guard mount("overlay", merged, "overlay", 0, options) == 0 else {
            if errno == EPERM || errno == ENODEV { return false }
            throw ImageTestError("mount overlay \(options): errno \(errno)")
        }
        defer { umount2(merged, Int32(MNT_DETACH)) }
        try body(merged)
        return true
    }
}
