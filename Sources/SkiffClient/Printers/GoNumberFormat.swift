/// Floating-point text as Go writes it, so that `-o json`, `-o yaml` and table cells match
/// kubectl byte for byte: `encoding/json` uses `%f` style unless the exponent is extreme
/// (`1e+21`, `1e-7`), go-yaml and `fmt.Sprint` use `%g` with the shortest digits (`1e+06`).
enum GoNumberFormat {
    /// `strconv.FormatFloat(x, 'g', -1, 64)` with YAML's names for the non-finite values.
    static func yamlFloat(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        return shortestG(value)
    }

    /// `fmt.Sprint(float64)`: `%v` is `%g` with the shortest digits.
    static func sprint(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        return shortestG(value)
    }

    /// `encoding/json`'s float encoding (non-finite values cannot be encoded; null is written).
    static func json(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        let magnitude = abs(value)
        if magnitude != 0, magnitude < 1e-6 || magnitude >= 1e21 {
            return exponentForm(value, minimumExponentDigits: 1)
        }
        return fixedForm(value)
    }

    /// The shortest decimal digits that round-trip, and where the decimal point sits:
    /// `value = 0.d1d2d3… × 10^point`.
    private static func decimal(_ value: Double) -> (negative: Bool, digits: [UInt8], point: Int) {
        let text = "\(abs(value))"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits: [UInt8] = []
        var point = 0
        var seenPoint = false
        for character in mantissa {
            if character == "." {
                seenPoint = true
                continue
            }
            guard let digit = character.asciiValue else { continue }
            digits.append(digit)
            if !seenPoint { point += 1 }
        }
        // Strip leading zeros (each moves the point) and trailing zeros.
        while digits.first == UInt8(ascii: "0"), digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == UInt8(ascii: "0"), digits.count > 1 { digits.removeLast() }
        if digits == [UInt8(ascii: "0")] { point = 1 }
        return (value.sign == .minus && value != 0, digits, point + exponent)
    }

    private static func shortestG(_ value: Double) -> String {
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let exponent = decimal(value).point - 1
        // Go: %e when exp < -4 || exp >= eprec, and eprec is 6 for the shortest form.
        if exponent < -4 || exponent >= 6 {
            return exponentForm(value, minimumExponentDigits: 2)
        }
        return fixedForm(value)
    }

    private static func fixedForm(_ value: Double) -> String {
        let (negative, digits, point) = decimal(value)
        var text = negative ? "-" : ""
        if point <= 0 {
            text += "0." + String(repeating: "0", count: -point) + String(decoding: digits, as: UTF8.self)
        } else if point >= digits.count {
            text += String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: point - digits.count)
        } else {
            text += String(decoding: digits[..<point], as: UTF8.self) + "." + String(decoding: digits[point...], as: UTF8.self)
        }
        return text
    }

    private static func exponentForm(_ value: Double, minimumExponentDigits: Int) -> String {
        let (negative, digits, point) = decimal(value)
        var text = negative ? "-" : ""
        text += String(UnicodeScalar(digits[0]))
        if digits.count > 1 { text += "." + String(decoding: digits[1...], as: UTF8.self) }
        let exponent = point - 1
        let exponentDigits = String(abs(exponent))
        let padded = String(repeating: "0", count: max(0, minimumExponentDigits - exponentDigits.count)) + exponentDigits
        return text + (exponent < 0 ? "e-" : "e+") + padded
    }
}
