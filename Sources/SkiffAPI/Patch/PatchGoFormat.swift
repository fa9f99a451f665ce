/// Renders decoded JSON as Go's `fmt` `%v` prints `interface{}` values, which is how
/// apimachinery's strategic-merge code both words its errors and *orders* merge keys
/// and primitive list items (it sorts on `fmt.Sprintf("%v", value)`).
enum PatchGoFormat {
    /// `%v`: `map[image:x name:y]`, `[a b]`, `<nil>`, `8083`, `1.5`, `1e+08`.
    static func value(_ value: JSONValue) -> String {
        switch value {
        case .null: return "<nil>"
        case .bool(let bool): return bool ? "true" : "false"
        case .integer(let integer): return String(integer)
        case .double(let double): return float(double)
        case .string(let string): return string
        case .array(let array): return "[" + array.map { Self.value($0) }.joined(separator: " ") + "]"
        case .object(let object):
            // Go's fmt prints map keys sorted.
            let members = object.keys.sorted(by: precedes).map { "\($0):\(Self.value(object[$0] ?? .null))" }
            return "map[" + members.joined(separator: " ") + "]"
        }
    }

    /// `reflect.TypeOf(v)` of the value as apimachinery decodes JSON (integers stay int64).
    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "%!s(<nil>)"
        case .bool: return "bool"
        case .integer: return "int64"
        case .double: return "float64"
        case .string: return "string"
        case .array: return "[]interface {}"
        case .object: return "map[string]interface {}"
        }
    }

    /// The JSON type name `encoding/json` uses in "cannot unmarshal X into Go value" errors.
    static func jsonTypeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "bool"
        case .integer, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Go orders strings by their bytes; Swift's `<` compares Unicode scalars after
    /// normalisation, which can disagree outside ASCII.
    static func precedes(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    /// `strconv.FormatFloat(f, 'g', -1, 64)`: the shortest digits, in exponent form when
    /// the decimal exponent is below -4 or at least 6 (`1e+08`, `1.234567e+06`).
    static func float(_ double: Double) -> String {
        if double.isNaN { return "NaN" }
        if double.isInfinite { return double < 0 ? "-Inf" : "+Inf" }
        if double == 0 { return double.sign == .minus ? "-0" : "0" }
        let (digits, pointPosition) = shortestDigits(abs(double))
        let sign = double < 0 ? "-" : ""
        let exponent = pointPosition - 1
        if exponent < -4 || exponent >= 6 {
            var mantissa = String(digits.prefix(1))
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let magnitude = abs(exponent)
            return sign + mantissa + (exponent < 0 ? "e-" : "e+") + (magnitude < 10 ? "0" : "") + String(magnitude)
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if pointPosition >= digits.count {
            return sign + digits + String(repeating: "0", count: pointPosition - digits.count)
        }
        let integerPart = digits.prefix(pointPosition)
        return sign + integerPart + "." + digits.dropFirst(pointPosition)
    }

    /// The shortest round-tripping significant digits of a positive double (Swift's
    /// `description` computes them) and where the decimal point goes: value = 0.d1d2… × 10^point.
    private static func shortestDigits(_ double: Double) -> (digits: String, point: Int) {
        let text = double.description.lowercased()
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts.first.map(String.init) ?? text
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = pieces.first.map(String.init) ?? ""
        let fraction = pieces.count > 1 ? String(pieces[1]) : ""
        var digits = whole + fraction
        var point = whole.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (digits.isEmpty ? "0" : digits, point)
    }
}
