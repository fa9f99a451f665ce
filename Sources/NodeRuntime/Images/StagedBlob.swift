/// A blob whose bytes have been hashed: `path` is a file on the store's file
/// system holding exactly the content that produced `digest`.
struct StagedBlob {
    var digest: ImageDigest
    var size: Int64
    var path: String
}
