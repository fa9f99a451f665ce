/// A protobuf wire-format reader over one message's bytes.
///
/// Only what Kubernetes' gogo-generated messages use is interpreted (varints and
/// length-delimited fields); fixed-width fields and groups are read so that unknown fields
/// of any wire type can be skipped, as protobuf requires.
struct ProtobufReader {
    /// One field as it appears on the wire, before a schema gives it meaning.
    enum WireValue {
        case varint(UInt64)
        case fixed64(UInt64)
        case lengthDelimited(ArraySlice<UInt8>)
        case fixed32(UInt32)
        /// A (deprecated) group, already skipped.
        case group
    }

    private let bytes: ArraySlice<UInt8>
    private var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    var isAtEnd: Bool { index >= bytes.endIndex }

    /// The next field's number and value, or nil at the end of the message.
    mutating func nextField() throws(ProtobufDecodeError) -> (number: UInt64, value: WireValue)? {
        guard !isAtEnd else { return nil }
        let (number, wireType) = try readTag()
        switch wireType {
        case 0:
            return (number, .varint(try readVarint()))
        case 1:
            return (number, .fixed64(try readFixed(8)))
        case 2:
            return (number, .lengthDelimited(try readLengthDelimited()))
        case 3:
            try skipGroup(number, depth: 1)
            return (number, .group)
        case 4:
            throw .malformed("unexpected end of group \(number) at byte \(index)")
        case 5:
            return (number, .fixed32(UInt32(truncatingIfNeeded: try readFixed(4))))
        default:
            throw .malformed("unknown wire type \(wireType) for field \(number) at byte \(index)")
        }
    }

    private mutating func readTag() throws(ProtobufDecodeError) -> (number: UInt64, wireType: UInt64) {
        let start = index
        let tag = try readVarint()
        let number = tag >> 3
        guard number > 0, number <= 536_870_911 else {
            throw .malformed("invalid field number \(number) at byte \(start)")
        }
        return (number, tag & 7)
    }

    private mutating func readVarint() throws(ProtobufDecodeError) -> UInt64 {
        let start = index
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            guard shift < 64, shift < 63 || byte <= 1 else {
                throw .malformed("varint longer than 64 bits at byte \(start)")
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        throw .malformed("truncated varint at byte \(start)")
    }

    private mutating func readFixed(_ count: Int) throws(ProtobufDecodeError) -> UInt64 {
        guard bytes.endIndex - index >= count else {
            throw .malformed("truncated \(count * 8)-bit field at byte \(index)")
        }
        var result: UInt64 = 0
        for offset in 0..<count {
            result |= UInt64(bytes[index + offset]) << (8 * UInt64(offset))
        }
        index += count
        return result
    }

    private mutating func readLengthDelimited() throws(ProtobufDecodeError) -> ArraySlice<UInt8> {
        let start = index
        let length = try readVarint()
        guard length <= UInt64(bytes.endIndex - index) else {
            throw .malformed("length \(length) at byte \(start) runs past the end of the message")
        }
        let end = index + Int(length)
        defer { index = end }
        return bytes[index..<end]
    }

    /// Nesting allowed for skipped groups, so hostile input cannot exhaust the stack.
    private static let maximumGroupDepth = 100

    /// Skips to the end-group tag matching `number`, through nested groups.
    private mutating func skipGroup(_ number: UInt64, depth: Int) throws(ProtobufDecodeError) {
        guard depth <= Self.maximumGroupDepth else { throw .malformed("groups nested too deeply") }
        while !isAtEnd {
            let (inner, wireType) = try readTag()
            switch wireType {
            case 0: _ = try readVarint()
            case 1: _ = try readFixed(8)
            case 2: _ = try readLengthDelimited()
            case 3: try skipGroup(inner, depth: depth + 1)
            case 4:
                guard inner == number else { throw .malformed("end of group \(inner) inside group \(number)") }
                return
            case 5: _ = try readFixed(4)
            default: throw .malformed("unknown wire type \(wireType) for field \(inner) at byte \(index)")
            }
        }
        throw .malformed("group \(number) is not closed")
    }
}
