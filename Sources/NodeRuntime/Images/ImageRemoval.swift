/// What `ImageStore.remove(reference:)` did, for the CLI to report like
/// `docker rmi`: the tags it removed and the image it deleted, if any.
package struct ImageRemoval: Equatable, Sendable {
    package var untagged: [String]
    /// Set when the image had no tags left and its record, blobs and layers
    /// (those no other image shares) were deleted.
    package var deleted: ImageDigest?

    package init(untagged: [String], deleted: ImageDigest?) {
        self.untagged = untagged
        self.deleted = deleted
    }
}
