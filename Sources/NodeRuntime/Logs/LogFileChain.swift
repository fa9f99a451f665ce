import Glibc

/// A container's log as an ordered chain of files (rotated oldest first, then
/// the live file), navigated by file identity so readers survive rotation.
///
/// A reader holds an open descriptor; when the writer rotates, that descriptor
/// keeps pointing at the same inode under its new, rotated name. Finding that
/// inode in the chain tells the reader which file comes next, even when it fell
/// several rotations behind, and opening by path then checking the identity
/// guards against a rotation racing with the open.
package enum LogFileChain {
    package struct Entry: Equatable, Sendable {
        package var path: String
        package var identity: LogFileIdentity
    }

    /// An open file of the chain.
    package struct OpenFile: Sendable {
        package var fd: Int32
        package var path: String
        package var identity: LogFileIdentity
    }

    /// Where a reader starts: the live file opened, plus the older files to read
    /// before it. If the live file is missing (mid-rotation, or not created yet)
    /// the newest rotated file stands in for it.
    package struct Start: Sendable {
        package var older: [String]
        package var current: OpenFile?
    }

    /// Existing files of the chain in order; files that vanish while listing are skipped.
    ///
    /// `readdir` is not atomic against a concurrent `rename`: a file rotated while
    /// the directory is being listed can be missed, which would make a follower
    /// skip that whole file. Every rotation renames the live file away, so an
    /// unchanged live file before and after the listing proves no rotation
    /// happened in between; otherwise the listing is retried.
    package static func entries(for path: String) -> [Entry] {
        var attempt = 0
        while true {
            attempt += 1
            let before = LogIO.identity(ofPath: path)
            let rotated = RotatedLogFiles.list(for: path)
            let after = LogIO.identity(ofPath: path)
            guard (before != nil && before == after) || attempt == 8 else {
                // Between the writer's rename and its re-create the live file is
                // missing for a moment; give it that moment.
                if after == nil { sched_yield() }
                continue
            }
            var entries = rotated.compactMap { file in
                LogIO.identity(ofPath: file).map { Entry(path: file, identity: $0) }
            }
            if let after { entries.append(Entry(path: path, identity: after)) }
            return entries
        }
    }

    package static func start(for path: String) throws -> Start {
        // Open first, list second: a rotation in between only moves our file into
        // the rotated list, where its identity finds it.
        if let live = try openVerified(path, expected: nil) {
            let rotated = entries(for: path).filter { $0.path != path }
            let older = rotated.prefix { $0.identity != live.identity }.map(\.path)
            return Start(older: older, current: live)
        }
        for _ in 0..<3 {
            let all = entries(for: path)
            guard let newest = all.last else { return Start(older: [], current: nil) }
            if let file = try openVerified(newest.path, expected: newest.identity) {
                return Start(older: all.dropLast().map(\.path), current: file)
            }
        }
        return Start(older: [], current: nil)
    }

    /// The file after `identity` (or the first file, if nothing was open yet),
    /// opened; nil while `identity` is still the newest file. If `identity` was
    /// deleted (pruned after falling more than `maxFiles` rotations behind), the
    /// reader jumps to the live file.
    package static func openNext(after identity: LogFileIdentity?, path: String) throws -> OpenFile? {
        for _ in 0..<3 {
            let all = entries(for: path)
            let next: Entry?
            if let identity {
                if let index = all.firstIndex(where: { $0.identity == identity }) {
                    next = index + 1 < all.count ? all[index + 1] : nil
                } else {
                    next = all.last
                }
            } else {
                next = all.first
            }
            guard let next else { return nil }
            if let file = try openVerified(next.path, expected: next.identity) { return file }
        }
        return nil
    }

    /// Opens `path` read-only; nil if it does not exist or is no longer `expected`.
    private static func openVerified(_ path: String, expected: LogFileIdentity?) throws -> OpenFile? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw SystemError.current("open \(path)")
        }
        guard let identity = LogIO.identity(of: fd), expected == nil || identity == expected else {
            LogIO.close(fd)
            return nil
        }
        return OpenFile(fd: fd, path: path, identity: identity)
    }
}
