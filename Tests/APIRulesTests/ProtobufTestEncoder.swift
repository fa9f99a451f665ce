/// A minimal protobuf writer for hand-built test bodies, so tests can put exactly the
/// fields (and unknown fields of every wire type) they are about on the wire.
struct ProtobufTestEncoder {
    var bytes: [UInt8] = []

    static func body(apiVersion: String, kind: String, raw: ProtobufTestEncoder) -> [UInt8] {
        var typeMeta = ProtobufTestEncoder()
        typeMeta.string(1, apiVersion)
        typeMeta.string(2, kind)
        var envelope = ProtobufTestEncoder()
        envelope.message(1, typeMeta)
        envelope.bytes(2, raw.bytes)
        envelope.string(3, "")
        envelope.string(4, "")
        return [0x6B, 0x38, 0x73, 0x00] + envelope.bytes
    }

    mutating func rawVarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(remaining & 0x7F) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    mutating func tag(_ field: UInt64, _ wireType: UInt64) { rawVarint(field << 3 | wireType) }

    mutating func varint(_ field: UInt64, _ value: Int64) {
        tag(field, 0)
        rawVarint(UInt64(bitPattern: value))
    }

    mutating func bytes(_ field: UInt64, _ payload: [UInt8]) {
        tag(field, 2)
        rawVarint(UInt64(payload.count))
        bytes += payload
    }

    mutating func string(_ field: UInt64, _ text: String) { bytes(field, Array(text.utf8)) }

    mutating func message(_ field: UInt64, _ inner: ProtobufTestEncoder) { bytes(field, inner.bytes) }

    mutating func mapEntry(_ field: UInt64, _ key: String, _ value: [UInt8]) {
        var entry = ProtobufTestEncoder()
        entry.string(1, key)
        entry.bytes(2, value)
        message(field, entry)
    }

    mutating func fixed32(_ field: UInt64, _ value: UInt32) {
        tag(field, 5)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }

    mutating func fixed64(_ field: UInt64, _ value: UInt64) {
        tag(field, 1)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8((value >> UInt64(shift)) & 0xFF)) }
    }

    /// A deprecated group holding one varint, which decoders must still skip.
    mutating func group(_ field: UInt64) {
        tag(field, 3)
        varint(1, 7)
        tag(field, 4)
    }
}
