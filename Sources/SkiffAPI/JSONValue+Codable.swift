import Foundation

/// Lets `JSONValue` sit inside `Codable` types. Decoding this way guesses each value's type by
/// trial and is slow on large documents; bodies and stored objects go through `init(jsonData:)`.
extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "value is not null, bool, number, string, array or object")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue {
    /// Parses a JSON document (a request body, a stored object); errors give the byte offset.
    public init(jsonData data: Data) throws(JSONParseError) {
        self = try JSONParser.parse(Array(data))
    }

    /// Parses JSON text.
    public init(jsonString text: String) throws(JSONParseError) {
        self = try JSONParser.parse(Array(text.utf8))
    }

    /// Parses JSON from raw bytes (as an HTTP body arrives).
    public init(jsonBytes bytes: [UInt8]) throws(JSONParseError) {
        self = try JSONParser.parse(bytes)
    }

    /// Compact JSON with sorted keys and unescaped slashes, so equal values give equal bytes
    /// (stable storage, stable `resourceVersion` comparisons in tests).
    public func jsonData(pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty
            ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// `jsonData()` as a string.
    public func jsonString(pretty: Bool = false) throws -> String {
        String(decoding: try jsonData(pretty: pretty), as: UTF8.self)
    }
}
