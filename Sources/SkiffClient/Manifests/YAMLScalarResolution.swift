import Foundation
import SkiffAPI

/// What an untagged plain YAML scalar means, decided by the rules of go-yaml v2, which
/// kubectl uses through `sigs.k8s.io/yaml`: YAML 1.1 booleans (`yes`, `on`, `y`), `~` and
/// `null`, integers with `0x`/`0o`/`0b` prefixes and `_` separators, sexagesimal numbers and
/// timestamps (which stay strings). Reading manifests and quoting output both follow it, so a
/// value `kubectl` reads as the string `"yes"` is written back quoted, and `replicas: 3` reads
/// as the integer 3.
enum YAMLScalarResolution: Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    /// An integer beyond `Int64` (go-yaml falls back to `uint64`) or a float.
    case double(Double)
    /// A timestamp-looking value; go-yaml hands it to JSON as the original string.
    case timestamp
    /// `<<`, the merge key.
    case merge
    case string

    /// Resolves a plain (unquoted, untagged) scalar.
    static func resolve(_ text: String) -> YAMLScalarResolution {
        if let special = specialValues[text] { return special }
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "."):
            return goParseFloat(text).map(YAMLScalarResolution.double) ?? .string
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            if isTimestamp(text) { return .timestamp }
            let plain = text.replacingOccurrences(of: "_", with: "")
            if let integer = goParseInteger(plain) { return integer }
            if matchesYAMLFloat(plain), let value = goParseFloat(plain) { return .double(value) }
            return .string
        default:
            return .string
        }
    }

    /// Whether go-yaml would write `text` quoted so that it reads back as a string:
    /// it resolves to something else, or it looks like a YAML 1.1 sexagesimal float.
    static func needsQuotes(_ text: String) -> Bool {
        resolve(text) != .string || isBase60Float(text)
    }

    private static let specialValues: [String: YAMLScalarResolution] = {
        var table: [String: YAMLScalarResolution] = [:]
        for word in ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"] { table[word] = .bool(true) }
        for word in ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"] {
            table[word] = .bool(false)
        }
        for word in ["", "~", "null", "Null", "NULL"] { table[word] = .null }
        for word in [".nan", ".NaN", ".NAN"] { table[word] = .double(.nan) }
        for word in [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"] { table[word] = .double(.infinity) }
        for word in ["-.inf", "-.Inf", "-.INF"] { table[word] = .double(-.infinity) }
        table["<<"] = .merge
        return table
    }()

    /// Go's `strconv.ParseInt(s, 0, 64)` then `ParseUint`: optional sign, `0x`, `0o`, `0b`
    /// or a leading `0` for octal.
    private static func goParseInteger(_ text: String) -> YAMLScalarResolution? {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        var radix = 10
        let lowered = digits.lowercased()
        if lowered.hasPrefix("0x") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if lowered.hasPrefix("0o") {
            radix = 8
            digits = digits.dropFirst(2)
        } else if lowered.hasPrefix("0b") {
            radix = 2
            digits = digits.dropFirst(2)
        } else if digits.count > 1, digits.first == "0" {
            radix = 8
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }),
            let magnitude = UInt64(digits, radix: radix)
        else { return nil }
        if negative {
            if magnitude <= UInt64(Int64.max) { return .integer(-Int64(magnitude)) }
            if magnitude == UInt64(Int64.max) + 1 { return .integer(Int64.min) }
            return nil
        }
        if magnitude <= UInt64(Int64.max) { return .integer(Int64(magnitude)) }
        return .double(Double(magnitude))
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, go-yaml's `yamlStyleFloat`.
    private static func matchesYAMLFloat(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        func digitRun() -> Int {
            var count = 0
            while let byte = bytes.first, isDigit(byte) {
                bytes = bytes.dropFirst()
                count += 1
            }
            return count
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digitRun() > 0 else { return false }
        } else {
            guard digitRun() > 0 else { return false }
            if bytes.first == UInt8(ascii: ".") {
                bytes = bytes.dropFirst()
                _ = digitRun()
            }
        }
        if let exponent = bytes.first, exponent == UInt8(ascii: "e") || exponent == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digitRun() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    /// Go's `strconv.ParseFloat` for the decimal forms YAML can reach here.
    private static func goParseFloat(_ text: String) -> Double? {
        let plain = text.replacingOccurrences(of: "_", with: "")
        guard !plain.isEmpty, plain.utf8.allSatisfy({ isDigit($0) || "+-.eE".utf8.contains($0) }) else { return nil }
        return Double(plain)
    }

    /// go-yaml's `allowedTimestampFormats`: `2006-1-2`, `2006-1-2 15:4:5.999`, and the
    /// `T`/`t`-separated form with an optional zone. The value must start with four digits and `-`.
    private static func isTimestamp(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count > 5, bytes[0..<4].allSatisfy(isDigit), bytes[4] == UInt8(ascii: "-") else { return false }
        var index = 5
        func number(maxDigits: Int, exact: Bool = false) -> Bool {
            let start = index
            while index < bytes.count, isDigit(bytes[index]), index - start < maxDigits { index += 1 }
            let count = index - start
            return exact ? count == maxDigits : count >= 1
        }
        func expect(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard number(maxDigits: 2), expect("-"), number(maxDigits: 2) else { return false }
        if index == bytes.count { return true }
        let separator = bytes[index]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else {
            return false
        }
        index += 1
        guard number(maxDigits: 2), expect(":"), number(maxDigits: 2), expect(":"), number(maxDigits: 2) else {
            return false
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard number(maxDigits: 9) else { return false }
        }
        if index == bytes.count { return true }
        guard separator != UInt8(ascii: " ") else { return false }
        if bytes[index] == UInt8(ascii: "Z") { return index + 1 == bytes.count }
        guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return false }
        index += 1
        guard number(maxDigits: 2, exact: true), expect(":"), number(maxDigits: 2, exact: true) else { return false }
        return index == bytes.count
    }

    /// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`: YAML 1.1 sexagesimal (`1:20`),
    /// which go-yaml quotes on output although it reads it as a string.
    private static func isBase60Float(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard let first = bytes.first, isDigit(first) else { return false }
        while let byte = bytes.first, isDigit(byte) || byte == UInt8(ascii: "_") { bytes = bytes.dropFirst() }
        var groups = 0
        while bytes.first == UInt8(ascii: ":") {
            bytes = bytes.dropFirst()
            let run = bytes.prefix { isDigit($0) }
            guard (1...2).contains(run.count) else { return false }
            if run.count == 2, let tens = run.first, tens > UInt8(ascii: "5") { return false }
            bytes = bytes.dropFirst(run.count)
            groups += 1
        }
        guard groups > 0 else { return false }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            while let byte = bytes.first, isDigit(byte) || byte == UInt8(ascii: "_") { bytes = bytes.dropFirst() }
        }
        return bytes.isEmpty
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
