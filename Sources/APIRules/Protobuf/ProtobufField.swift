import Foundation
import SkiffAPI

/// One field of a `ProtobufSchema`.
struct ProtobufField: Sendable {
    enum Kind: Sendable {
        case string
        case int
        case bool
        case message(ProtobufSchema)
        /// `metav1.Time`: `{1: seconds, 2: nanos}`, RFC 3339 in JSON, absent when zero.
        case time
        /// `intstr.IntOrString`: `{1: type, 2: intVal, 3: strVal}`, a number or a string in JSON.
        case intOrString
        /// `resource.Quantity`: `{1: string}`, a string in JSON.
        case quantity
        case repeatedString
        case repeatedMessage(ProtobufSchema)
        /// `map<string, V>`, on the wire as repeated `{1: key, 2: value}` entries.
        case map(MapValue)
    }

    enum MapValue: Sendable {
        case string
        /// Bytes, base64 in JSON (`Secret.data`, `ConfigMap.binaryData`).
        case bytes
        case quantity
    }

    var name: String
    var kind: Kind
    var keepsZero: Bool

    static func string(_ name: String, keepsZero: Bool = false) -> ProtobufField {
        ProtobufField(name: name, kind: .string, keepsZero: keepsZero)
    }
    static func int(_ name: String, keepsZero: Bool = false) -> ProtobufField {
        ProtobufField(name: name, kind: .int, keepsZero: keepsZero)
    }
    static func bool(_ name: String, keepsZero: Bool = false) -> ProtobufField {
        ProtobufField(name: name, kind: .bool, keepsZero: keepsZero)
    }
    static func message(_ name: String, _ schema: ProtobufSchema) -> ProtobufField {
        ProtobufField(name: name, kind: .message(schema), keepsZero: true)
    }
    static func time(_ name: String) -> ProtobufField { ProtobufField(name: name, kind: .time, keepsZero: false) }
    static func intOrString(_ name: String) -> ProtobufField {
        ProtobufField(name: name, kind: .intOrString, keepsZero: true)
    }
    static func quantity(_ name: String) -> ProtobufField {
        ProtobufField(name: name, kind: .quantity, keepsZero: true)
    }
    static func strings(_ name: String) -> ProtobufField {
        ProtobufField(name: name, kind: .repeatedString, keepsZero: false)
    }
    static func messages(_ name: String, _ schema: ProtobufSchema) -> ProtobufField {
        ProtobufField(name: name, kind: .repeatedMessage(schema), keepsZero: false)
    }
    static func map(_ name: String, _ value: MapValue = .string) -> ProtobufField {
        ProtobufField(name: name, kind: .map(value), keepsZero: false)
    }

    /// Adds this field's wire value to `message`: scalars and messages replace (a later zero
    /// clears an earlier value, as in Go), lists append, maps insert.
    func merge(_ wire: ProtobufReader.WireValue, into message: inout ProtobufMessage) throws(ProtobufDecodeError) {
        switch kind {
        case .string:
            let text = ProtobufValues.text(try bytes(wire))
            set(keepsZero || !text.isEmpty ? .string(text) : .null, in: &message)
        case .int:
            let value = Int64(bitPattern: try varint(wire))
            set(keepsZero || value != 0 ? .integer(value) : .null, in: &message)
        case .bool:
            let value = try varint(wire) != 0
            set(keepsZero || value ? .bool(value) : .null, in: &message)
        case .message(let schema):
            set(try schema.decode(try bytes(wire)), in: &message)
        case .time:
            set(try ProtobufValues.time(try bytes(wire)), in: &message)
        case .intOrString:
            set(try ProtobufValues.intOrString(try bytes(wire)), in: &message)
        case .quantity:
            set(.string(try ProtobufValues.quantity(try bytes(wire))), in: &message)
        case .repeatedString:
            message.lists[name, default: []].append(.string(ProtobufValues.text(try bytes(wire))))
        case .repeatedMessage(let schema):
            message.lists[name, default: []].append(try schema.decode(try bytes(wire)))
        case .map(let valueKind):
            let (key, value) = try ProtobufValues.mapEntry(try bytes(wire), valueKind)
            message.maps[name, default: [:]][key] = value
        }
    }

    /// Sets the member, or removes it for `.null` (a zero value that JSON would omit).
    private func set(_ value: JSONValue, in message: inout ProtobufMessage) {
        if value.isNull {
            message.members.removeValue(forKey: name)
        } else {
            message.members[name] = value
        }
    }

    private func bytes(_ wire: ProtobufReader.WireValue) throws(ProtobufDecodeError) -> ArraySlice<UInt8> {
        guard case .lengthDelimited(let bytes) = wire else {
            throw .malformed("field \(name) is not length-delimited on the wire")
        }
        return bytes
    }

    private func varint(_ wire: ProtobufReader.WireValue) throws(ProtobufDecodeError) -> UInt64 {
        guard case .varint(let value) = wire else { throw .malformed("field \(name) is not a varint on the wire") }
        return value
    }
}
