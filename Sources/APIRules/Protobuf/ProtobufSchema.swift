import SkiffAPI

/// The field table of one Kubernetes protobuf message: for each field number, the JSON name
/// and how the wire value becomes JSON.
///
/// Kubernetes' gogo-generated code writes every non-pointer field, zero or not, and a pointer
/// field only when set. Decoding therefore drops zero scalars (as `omitempty` would leave them
/// out of JSON) unless the field `keepsZero` (a pointer, or a field without `omitempty`), and
/// keeps every nested message that is on the wire (`"strategy": {}`, `"resources": {}`), which
/// is exactly what the same request would have carried as JSON.
struct ProtobufSchema: Sendable {
    var fields: [UInt64: ProtobufField]

    init(_ fields: [UInt64: ProtobufField]) {
        self.fields = fields
    }

    /// The JSON object for a message's bytes; fields without an entry are skipped.
    func decode(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodeError) -> JSONValue {
        var reader = ProtobufReader(bytes)
        var message = ProtobufMessage()
        while let (number, wire) = try reader.nextField() {
            guard let field = fields[number] else { continue }
            try field.merge(wire, into: &message)
        }
        return message.json
    }
}
