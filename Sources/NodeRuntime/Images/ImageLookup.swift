/// How a user-supplied reference finds a record: by tag, by manifest or
/// config digest (`name@sha256:…`, `sha256:<id>`, a bare 64-hex id), or by a
/// unique id prefix of at least 12 hex characters as `skiff image ls` shows.
enum ImageLookup {
    enum Match: Equatable {
        /// The record at `index` carries `tag` (normalised).
        case tag(index: Int, tag: String)
        /// The reference named the image itself, not one of its tags.
        case image(index: Int)

        var index: Int {
            switch self {
            case .tag(let index, _), .image(let index): index
            }
        }
    }

    private static let shortIDLength = 12

    /// The match for `reference`, nil when no image fits. Throws for a
    /// reference that is not valid at all.
    static func find(_ reference: String, in images: [ImageRecord]) throws -> Match? {
        let bareID = reference.hasPrefix("sha256:") ? String(reference.dropFirst(7)) : reference
        if ImageDigest.isSHA256Hex(bareID) {
            return images.firstIndex { $0.id.hex == bareID || $0.manifestDigest?.hex == bareID }.map { .image(index: $0) }
        }
        let parsed: ImageReference
        do {
            parsed = try ImageReference(parsing: reference)
        } catch {
            if let match = idPrefixMatch(bareID, in: images) { return match }
            throw error
        }
        if let digest = parsed.digest {
            // Content-addressed: the name part cannot change which bytes match.
            return images.firstIndex { $0.manifestDigest == digest || $0.id == digest }.map { .image(index: $0) }
        }
        let tag = parsed.description
        if let index = images.firstIndex(where: { $0.repoTags.contains(tag) }) {
            return .tag(index: index, tag: tag)
        }
        return idPrefixMatch(bareID, in: images)
    }

    private static func idPrefixMatch(_ prefix: String, in images: [ImageRecord]) -> Match? {
        guard prefix.count >= shortIDLength, prefix.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
            return nil
        }
        let hits = images.indices.filter { images[$0].id.hex.hasPrefix(prefix) }
        return hits.count == 1 ? .image(index: hits[0]) : nil
    }
}
