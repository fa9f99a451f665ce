extension Quantity {
    /// Parses `[+-]digits[.digits][suffix]` with the suffixes of Kubernetes:
    /// `n u m "" k M G T P E`, `Ki Mi Gi Ti Pi Ei`, or an exponent `e3`/`E-2`.
    public init(parsing text: String) throws(QuantityError) {
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { throw QuantityError(text: text, reason: .empty) }
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        let numberPart = bytes.prefix { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") }
        let suffix = String(decoding: bytes.dropFirst(numberPart.count), as: UTF8.self)
        guard !numberPart.isEmpty else { throw QuantityError(text: text, reason: .format) }
        let pieces = numberPart.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard pieces.count <= 2, pieces.contains(where: { !$0.isEmpty }) else {
            throw QuantityError(text: text, reason: .numeric)
        }
        let fraction = pieces.count == 2 ? Array(pieces[1]) : []
        let significand = DecimalDigits((Array(pieces[0]) + fraction).map { $0 - 0x30 })

        guard let (base, power, format) = Self.interpretSuffix(suffix) else {
            throw QuantityError(text: text, reason: suffix.isEmpty ? .format : .suffix)
        }
        var exponent = -fraction.count
        var digits = significand
        if base == 2 {
            for _ in 0..<(power / 10) { digits = digits.multiplied(by: 1024) }
        } else {
            exponent += power
        }
        guard abs(exponent) <= Self.maximumExponent else { throw QuantityError(text: text, reason: .range) }
        self.init(negative: negative, significand: digits, exponent: exponent, format: format)
    }

    /// Larger exponents are refused so no request can make the server print a megabyte of zeros.
    static let maximumExponent = 1000

    /// Base, exponent and format of a suffix; nil when it is not one Kubernetes knows.
    static func interpretSuffix(_ suffix: String) -> (base: Int, power: Int, format: Format)? {
        switch suffix {
        case "": return (10, 0, .decimalSI)
        case "n": return (10, -9, .decimalSI)
        case "u": return (10, -6, .decimalSI)
        case "m": return (10, -3, .decimalSI)
        case "k": return (10, 3, .decimalSI)
        case "M": return (10, 6, .decimalSI)
        case "G": return (10, 9, .decimalSI)
        case "T": return (10, 12, .decimalSI)
        case "P": return (10, 15, .decimalSI)
        case "E": return (10, 18, .decimalSI)
        case "Ki": return (2, 10, .binarySI)
        case "Mi": return (2, 20, .binarySI)
        case "Gi": return (2, 30, .binarySI)
        case "Ti": return (2, 40, .binarySI)
        case "Pi": return (2, 50, .binarySI)
        case "Ei": return (2, 60, .binarySI)
        default:
            guard let first = suffix.first, first == "e" || first == "E", suffix.count > 1 else { return nil }
            let rest = suffix.dropFirst()
            let digits = rest.first == "+" || rest.first == "-" ? rest.dropFirst() : rest
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.count <= 6,
                let power = Int(rest.first == "+" ? String(digits) : String(rest))
            else { return nil }
            return (10, power, .decimalExponent)
        }
    }

    /// Reads a quantity from JSON, where clients send `"500m"` or a bare number (`1`).
    public init(json: JSONValue) throws(QuantityError) {
        switch json {
        case .string(let text): try self.init(parsing: text)
        case .integer(let integer): self.init(integer)
        case .double(let double): try self.init(parsing: String(double))
        default: throw QuantityError(text: (try? json.jsonString()) ?? "", reason: .format)
        }
    }
}

/// A quantity string that does not parse; names the text and says what is wrong.
public struct QuantityError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        case empty
        /// Does not match `^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$`.
        case format
        /// The number before the suffix is malformed (`1.2.3`, `.`).
        case numeric
        /// An unknown suffix (`12K`, `5Gb`).
        case suffix
        /// An exponent beyond ±1000.
        case range
    }

    public var text: String
    public var reason: Reason

    public init(text: String, reason: Reason) {
        self.text = text
        self.reason = reason
    }

    public var description: String {
        let quoted = GoValueFormat.quoted(text)
        switch reason {
        case .empty: return "quantity \(quoted): quantities must not be empty"
        case .format:
            return "quantity \(quoted): quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        case .numeric: return "quantity \(quoted): unable to parse numeric part of quantity"
        case .suffix: return "quantity \(quoted): unable to parse quantity's suffix"
        case .range: return "quantity \(quoted): exponent out of range (at most ±1000)"
        }
    }
}
