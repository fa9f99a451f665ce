extension ImageStore {
    /// Imports every image in an OCI image layout (directory or tar) or a
    /// `docker save` archive and returns their records as stored.
    ///
    /// All or nothing: every blob digest and layer diffID is verified and
    /// every missing layer unpacked in staging before anything is published;
    /// on any error the store's records, blobs and layers are unchanged.
    /// Heavy work runs without the store lock; only publishing holds it.
    package func importArchive(path: String) throws -> [ImageRecord] {
        do {
            return try importVerified(path: path)
        } catch let error as RuntimeError {
            throw RuntimeError("cannot import \(path): \(error.message)")
        }
    }

    private func importVerified(path: String) throws -> [ImageRecord] {
        guard try ImageFiles.exists(path) else {
            throw RuntimeError("no such file or directory")
        }
        let source = try ImageFiles.canonicalPath(path)
        let kind = try ImageFiles.kind(source)
        let staging = try lock.withExclusiveAccess {
            ImageStaging.sweepAbandoned(in: tmpDirectory)
            return try ImageStaging.create(in: tmpDirectory)
        }
        defer { staging.discard() }

        let reader: ImageLayoutReader
        if kind == .directory {
            let copies = "\(staging.path)/blobs"
            try ImageFiles.makeDirectories(copies)
            reader = ImageLayoutReader(root: source, copyDirectory: copies)
        } else if kind == .regular {
            let unpacked = "\(staging.path)/archive"
            try ImageFiles.makeDirectories(unpacked)
            do {
                try ImageArchive.extract(source, into: unpacked, options: ImageArchive.layoutOptions)
            } catch let error as RuntimeError {
                throw RuntimeError("unpacking the archive: \(error.message)")
            }
            reader = ImageLayoutReader(root: unpacked, copyDirectory: nil)
        } else {
            throw RuntimeError("not a directory, tar archive or docker save archive")
        }

        let candidates = try readCandidates(reader)
        var unpacked: [ImageDigest: String] = [:]
        for candidate in candidates {
            for (diffID, blob) in candidate.layerSources.sorted(by: { $0.key < $1.key }) {
                // Checked again under the lock; this only skips needless work.
                if try unpacked[diffID] != nil || ImageFiles.exists(layerDirectory(for: diffID)) { continue }
                unpacked[diffID] = try unpackLayer(blob, diffID: diffID, staging: staging)
            }
        }
        if !unpacked.isEmpty { try ImageFiles.syncFileSystem(containing: staging.path) }

        return try lock.withExclusiveAccess {
            try publish(candidates, unpacked: unpacked, staging: staging)
        }
    }

    /// Chooses the format: `index.json` means an OCI layout (taking names
    /// from a `manifest.json` beside it too), else `manifest.json` means an
    /// old-style `docker save`. Candidates for the same image are merged.
    private func readCandidates(_ reader: ImageLayoutReader) throws -> [ImageCandidate] {
        var found: [ImageCandidate]
        if reader.hasFile("index.json") {
            found = try OCILayoutParser.images(in: reader, platform: .current)
            if reader.hasFile("manifest.json") {
                let dockerTags = try DockerSaveParser.tagsByConfig(in: reader)
                for position in found.indices {
                    let extra = dockerTags[found[position].record.id, default: []].map(\.description)
                    found[position].record.repoTags = Array(Set(found[position].record.repoTags + extra)).sorted()
                }
            }
        } else if reader.hasFile("manifest.json") {
            found = try DockerSaveParser.images(in: reader)
        } else {
            throw RuntimeError("neither an OCI image layout (no index.json) nor a docker save archive (no manifest.json)")
        }
        var merged: [ImageCandidate] = []
        for candidate in found {
            if let position = merged.firstIndex(where: { $0.record.id == candidate.record.id }) {
                merged[position].merge(candidate)
            } else {
                merged.append(candidate)
            }
        }
        return merged
    }

    /// Extracts a verified layer blob into staging with whiteouts converted
    /// for overlayfs.
    private func unpackLayer(_ blob: StagedBlob, diffID: ImageDigest, staging: ImageStaging) throws -> String {
        let directory = "\(staging.path)/layer-\(diffID.hex)"
        try ImageFiles.makeDirectories(directory)
        // The layer root becomes the overlay's root directory attributes when
        // the tar has no "./" entry; mkdir's mode is subject to the umask.
        try ImageFiles.setMode(directory, 0o755)
        do {
            try ImageArchive.extract(blob.path, into: directory, options: ImageArchive.layerOptions)
        } catch let error as RuntimeError {
            throw RuntimeError("layer \(blob.digest.short): \(error.message)")
        }
        return directory
    }

    /// Moves layers and blobs into place and rewrites the catalog; runs under
    /// the store lock. Whatever this call placed is removed again on failure.
    private func publish(
        _ candidates: [ImageCandidate], unpacked: [ImageDigest: String], staging: ImageStaging
    ) throws -> [ImageRecord] {
        var catalog = try ImageCatalog.load(from: catalogPath)
        var touched: [ImageDigest] = []
        for candidate in candidates {
            let incoming = candidate.record
            for tag in incoming.repoTags {
                for position in catalog.images.indices where catalog.images[position].id != incoming.id {
                    catalog.images[position].repoTags.removeAll { $0 == tag }
                }
            }
            if let position = catalog.index(of: incoming.id) {
                var existing = catalog.images[position]
                existing.repoTags = Array(Set(existing.repoTags + incoming.repoTags)).sorted()
                if existing.manifestDigest == nil { existing.manifestDigest = incoming.manifestDigest }
                catalog.images[position] = existing
            } else {
                catalog.images.append(incoming)
            }
            touched.append(incoming.id)
        }

        var placed: [String] = []
        do {
            var freshLayers = false
            for candidate in candidates {
                for (diffID, blob) in candidate.layerSources.sorted(by: { $0.key < $1.key }) {
                    let target = layerDirectory(for: diffID)
                    if try ImageFiles.exists(target) { continue }
                    // Present earlier but deleted since by a concurrent remove.
                    let source = try unpacked[diffID] ?? {
                        let directory = try unpackLayer(blob, diffID: diffID, staging: staging)
                        try ImageFiles.syncFileSystem(containing: directory)
                        return directory
                    }()
                    try ImageFiles.rename(source, to: target)
                    placed.append(target)
                    freshLayers = true
                }
            }
            var freshBlobs = false
            let staged = candidates.reduce(into: [ImageDigest: StagedBlob]()) { all, candidate in
                all.merge(candidate.blobs) { current, _ in current }
            }
            for id in touched {
                guard let record = catalog.images.first(where: { $0.id == id }) else { continue }
                for digest in record.blobs.sorted() {
                    let target = blobPath(digest)
                    guard let blob = staged[digest], !(try ImageFiles.exists(target)) else { continue }
                    try ImageFiles.setMode(blob.path, 0o444)
                    try ImageFiles.rename(blob.path, to: target)
                    placed.append(target)
                    freshBlobs = true
                }
            }
            if freshBlobs { try ImageFiles.syncFileSystem(containing: blobsDirectory) }
            if freshLayers { try ImageFiles.syncDirectory(layersDirectory) }
            try catalog.save(to: catalogPath)
        } catch {
            for path in placed.reversed() { ImageFiles.removeTreeQuietly(path) }
            throw error
        }
        return touched.compactMap { id in catalog.images.first { $0.id == id } }
    }
}
