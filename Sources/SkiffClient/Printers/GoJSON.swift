import SkiffAPI

/// JSON as Go's `encoding/json` writes a decoded object: keys sorted, `<`, `>` and `&`
/// escaped as `\u003c` and friends, floats in Go's notation. `-o json` uses the indented form
/// (kubectl's `json.MarshalIndent(obj, "", "    ")`); the last-applied annotation the compact one.
public enum GoJSON {
    /// Compact JSON, as `json.Marshal` writes it.
    public static func compact(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out, indent: nil, depth: 0)
        return out
    }

    /// Indented with four spaces, as `kubectl get -o json` prints; no trailing newline.
    public static func indented(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out, indent: "    ", depth: 0)
        return out
    }

    private static func write(_ value: JSONValue, into out: inout String, indent: String?, depth: Int) {
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .integer(let number): out += String(number)
        case .double(let number): out += GoNumberFormat.json(number)
        case .string(let string): writeString(string, into: &out)
        case .array(let elements):
            guard !elements.isEmpty else {
                out += "[]"
                return
            }
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                newline(&out, indent: indent, depth: depth + 1)
                write(element, into: &out, indent: indent, depth: depth + 1)
            }
            newline(&out, indent: indent, depth: depth)
            out += "]"
        case .object(let members):
            guard !members.isEmpty else {
                out += "{}"
                return
            }
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                newline(&out, indent: indent, depth: depth + 1)
                writeString(key, into: &out)
                out += indent == nil ? ":" : ": "
                write(members[key] ?? .null, into: &out, indent: indent, depth: depth + 1)
            }
            newline(&out, indent: indent, depth: depth)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, indent: String?, depth: Int) {
        guard let indent else { return }
        out += "\n" + String(repeating: indent, count: depth)
    }

    private static let hex = Array("0123456789abcdef")

    static func writeString(_ string: String, into out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + hexDigits(scalar.value)
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + hexDigits(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private static func hexDigits(_ value: UInt32) -> String {
        String((0..<4).reversed().map { hex[Int((value >> (UInt32($0) * 4)) & 0xF)] })
    }
}
