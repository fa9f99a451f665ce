import Glibc

/// Reads files out of an unpacked image archive (OCI layout or `docker save`)
/// and turns them into verified blobs.
///
/// Every path comes from the archive, so each is resolved and must stay
/// inside the layout root: a symlink pointing at `/etc/shadow` must not be
/// slurped into the store. When the layout lives outside the store (a
/// directory given by the user), blobs are copied into staging while being
/// hashed, so what is verified is what gets published.
final class ImageLayoutReader {
    let root: String
    private let copyDirectory: String?
    private var staged: [String: StagedBlob] = [:]
    private var copies = 0

    /// - Parameters:
    ///   - root: canonical (symlink-free) layout directory.
    ///   - copyDirectory: where to copy blobs, or nil when `root` already is
    ///     on the store's file system (an archive unpacked into staging).
    init(root: String, copyDirectory: String?) {
        self.root = root
        self.copyDirectory = copyDirectory
    }

    /// Whether the layout has a regular file at `relative`.
    func hasFile(_ relative: String) -> Bool {
        (try? ImageFiles.kind("\(root)/\(relative)")) == .regular
    }

    /// The canonical path of a regular file inside the layout.
    func file(_ relative: String, what: String) throws -> String {
        guard !relative.isEmpty, !relative.hasPrefix("/"),
              !relative.split(separator: "/").contains("..") else {
            throw RuntimeError("\(what) path \"\(relative)\" must be relative and stay inside the archive")
        }
        let resolved: String
        do {
            resolved = try ImageFiles.canonicalPath("\(root)/\(relative)")
        } catch let error as SystemError where error.errno == ENOENT || error.errno == ENOTDIR {
            throw RuntimeError("\(what) is missing (\(relative))")
        }
        guard resolved.hasPrefix(root + "/") else {
            throw RuntimeError("\(what) (\(relative)) points outside the archive")
        }
        guard try ImageFiles.kind(resolved) == .regular else {
            throw RuntimeError("\(what) (\(relative)) is not a regular file")
        }
        return resolved
    }

    /// Hashes (and, for external layouts, copies) the file at `relative`.
    func blob(_ relative: String, what: String) throws -> StagedBlob {
        let source = try file(relative, what: what)
        if let known = staged[source] { return known }
        let blob: StagedBlob
        if let copyDirectory {
            copies += 1
            let target = "\(copyDirectory)/blob-\(copies)"
            let result = try ImageFiles.copyAndDigest(from: source, to: target)
            blob = StagedBlob(digest: result.digest, size: result.size, path: target)
        } else {
            let result = try ImageFiles.digest(of: source)
            blob = StagedBlob(digest: result.digest, size: result.size, path: source)
        }
        staged[source] = blob
        return blob
    }

    /// The blob a descriptor names, checked against its digest and size.
    func blob(for descriptor: OCIDescriptor, what: String) throws -> StagedBlob {
        let expected: ImageDigest
        do {
            expected = try ImageDigest(parsing: descriptor.digest)
        } catch let error as RuntimeError {
            throw RuntimeError("\(what): \(error.message)")
        }
        let blob = try self.blob("blobs/sha256/\(expected.hex)", what: "\(what) blob \(expected.short)")
        try check(blob, expected: expected, what: what)
        if let size = descriptor.size, size != blob.size {
            throw RuntimeError("\(what) blob \(expected.short) is \(blob.size) bytes but its descriptor says \(size)")
        }
        return blob
    }

    /// Fails unless the content hashed to `expected`.
    func check(_ blob: StagedBlob, expected: ImageDigest, what: String) throws {
        guard blob.digest == expected else {
            throw RuntimeError("\(what) blob \(expected.short) is corrupt: its content has digest \(blob.digest)")
        }
    }
}
