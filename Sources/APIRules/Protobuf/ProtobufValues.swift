import Foundation
import SkiffAPI

/// The small Kubernetes messages that become single JSON values (`metav1.Time`,
/// `intstr.IntOrString`, `resource.Quantity`) and the entries of protobuf maps.
enum ProtobufValues {
    /// Go does not check UTF-8 when unmarshalling and JSON-encodes bad bytes as U+FFFD; so does this.
    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// A `{1: key, 2: value}` map entry; a missing key or value reads as empty, as in Go.
    static func mapEntry(
        _ bytes: ArraySlice<UInt8>, _ valueKind: ProtobufField.MapValue
    ) throws(ProtobufDecodeError) -> (String, JSONValue) {
        var reader = ProtobufReader(bytes)
        var key = ""
        var value: ArraySlice<UInt8> = []
        while let (number, wire) = try reader.nextField() {
            guard case .lengthDelimited(let payload) = wire else { continue }
            if number == 1 { key = text(payload) } else if number == 2 { value = payload }
        }
        switch valueKind {
        case .string: return (key, .string(text(value)))
        case .bytes: return (key, .string(Data(value).base64EncodedString()))
        case .quantity: return (key, .string(try quantity(value)))
        }
    }

    /// `resource.Quantity`: `{1: string}`, kept as the client wrote it.
    static func quantity(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodeError) -> String {
        var reader = ProtobufReader(bytes)
        var result = ""
        while let (number, wire) = try reader.nextField() {
            if number == 1, case .lengthDelimited(let payload) = wire { result = text(payload) }
        }
        return result
    }

    /// `intstr.IntOrString`: `{1: type, 2: intVal, 3: strVal}`, a JSON number for type 0 and a
    /// string for type 1.
    static func intOrString(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodeError) -> JSONValue {
        var reader = ProtobufReader(bytes)
        var isString = false
        var intValue: Int64 = 0
        var stringValue = ""
        while let (number, wire) = try reader.nextField() {
            switch (number, wire) {
            case (1, .varint(let type)): isString = type == 1
            case (2, .varint(let value)): intValue = Int64(Int32(truncatingIfNeeded: value))
            case (3, .lengthDelimited(let payload)): stringValue = text(payload)
            default: continue
            }
        }
        return isString ? .string(stringValue) : .integer(intValue)
    }

    /// `metav1.Time`: an empty message is the zero time, which JSON writes as null (dropped);
    /// otherwise UTC with whole seconds, as `metav1.Time` marshals.
    static func time(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodeError) -> JSONValue {
        guard !bytes.isEmpty else { return .null }
        var reader = ProtobufReader(bytes)
        var seconds: Int64 = 0
        while let (number, wire) = try reader.nextField() {
            if number == 1, case .varint(let value) = wire { seconds = Int64(bitPattern: value) }
        }
        // Go refuses to write years outside 0000-9999 as JSON.
        guard (-62_167_219_200...253_402_300_799).contains(seconds) else {
            throw .malformed("timestamp \(seconds) is outside the years 0000-9999")
        }
        return .string(rfc3339(seconds))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for seconds since 1970 (years 0000-9999).
    private static func rfc3339(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return
            "\(yearText)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))Z"
    }
}
