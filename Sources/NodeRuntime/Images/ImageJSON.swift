import Foundation

/// JSON decoding for archive metadata with short, path-naming errors instead
/// of `DecodingError`'s debug dumps.
enum ImageJSON {
    /// Manifests, configs and indexes are small; anything bigger is hostile.
    static let sizeLimit = 16 << 20

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw RuntimeError("malformed \(what): \(describe(error))")
        } catch {
            throw RuntimeError("malformed \(what): \(error)")
        }
    }

    static func read<T: Decodable>(_ type: T.Type, path: String, what: String) throws -> T {
        try decode(type, from: ImageFiles.read(path, limit: sizeLimit), what: what)
    }

    private static func describe(_ error: DecodingError) -> String {
        func location(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "document" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(location(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(location(context.codingPath + [key])): required field is missing"
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { ": \($0.localizedDescription)" } ?? ""
            return "\(location(context.codingPath)): \(context.debugDescription)\(underlying)"
        @unknown default:
            return "\(error)"
        }
    }
}
