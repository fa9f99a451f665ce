/// An OCI content descriptor: what a blob is, its digest and size.
/// The digest stays a string here and is validated where it is used, so the
/// error can say which descriptor carried the bad value.
struct OCIDescriptor: Decodable, Sendable {
    var mediaType: String?
    var digest: String
    var size: Int64?
    var annotations: [String: String]?
    var platform: OCIPlatform?
}

/// The platform an index entry is built for.
struct OCIPlatform: Decodable, Sendable {
    var architecture: String?
    var os: String?
    var variant: String?
}
