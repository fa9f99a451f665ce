/// The recursive-descent parser behind `JSONPathTemplate`.
struct JSONPathParser {
    private let input: [Unicode.Scalar]
    private var position = 0

    init(_ input: [Unicode.Scalar]) {
        self.input = input
    }

    mutating func parseTemplate() throws(JSONPathError) -> [JSONPathTemplate.Part] {
        var parts: [JSONPathTemplate.Part] = []
        var text = ""
        while position < input.count {
            if input[position] == "{" {
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                position += 1
                parts.append(.action(try parseAction(closing: "}")))
            } else {
                text.unicodeScalars.append(input[position])
                position += 1
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        return parts
    }

    /// Steps up to the closing brace (consumed); nil `closing` parses to the end of input.
    mutating func parseAction(closing: Unicode.Scalar?) throws(JSONPathError) -> [JSONPathTemplate.Step] {
        var steps: [JSONPathTemplate.Step] = []
        while true {
            guard position < input.count else {
                if closing == nil { return steps }
                throw .parse("unclosed action")
            }
            let scalar = input[position]
            if let closing, scalar == closing {
                position += 1
                return steps
            }
            if hasPrefix("[?(") {
                steps.append(try parseFilter())
                continue
            }
            if hasPrefix("..") {
                if steps.last == .recursive { throw .parse("invalid multiple recursive descent") }
                position += 2
                steps.append(.recursive)
                if position < input.count, Self.isAlphaNumeric(input[position]) { steps.append(parseField()) }
                continue
            }
            switch scalar {
            case "\r", "\n":
                throw .parse("unclosed action")
            case " ", "@", "$":
                position += 1
            case "[":
                position += 1
                steps += try parseBracket()
            case "\"", "'":
                steps.append(.text(try parseQuote(scalar)))
            case ".":
                position += 1
                steps.append(parseField())
            case "+", "-", "0"..."9":
                steps.append(try parseNumber())
            default:
                guard Self.isAlphaNumeric(scalar) else {
                    throw .parse("unrecognized character in action: U+\(Self.hex(scalar.value)) '\(Character(scalar))'")
                }
                let word = readWhile { !Self.isTerminator($0) }
                switch word {
                case "range": steps.append(.range)
                case "end": steps.append(.end)
                case "true": steps.append(.bool(true))
                case "false": steps.append(.bool(false))
                default: throw .parse("unrecognized identifier \(word)")
                }
            }
        }
    }

    private func hasPrefix(_ prefix: String) -> Bool {
        let scalars = Array(prefix.unicodeScalars)
        guard position + scalars.count <= input.count else { return false }
        return Array(input[position..<(position + scalars.count)]) == scalars
    }

    private mutating func readWhile(_ predicate: (Unicode.Scalar) -> Bool) -> String {
        var text = ""
        while position < input.count, predicate(input[position]) {
            text.unicodeScalars.append(input[position])
            position += 1
        }
        return text
    }

    /// A field name up to the next unescaped terminator; `\.` keeps a dot in the name.
    private mutating func parseField() -> JSONPathTemplate.Step {
        var name = ""
        while position < input.count {
            let scalar = input[position]
            if scalar == "\\", position + 1 < input.count {
                name.unicodeScalars.append(input[position + 1])
                position += 2
                continue
            }
            if Self.isTerminator(scalar) { break }
            name.unicodeScalars.append(scalar)
            position += 1
        }
        return name == "*" ? .wildcard : .field(name)
    }

    private mutating func parseNumber() throws(JSONPathError) -> JSONPathTemplate.Step {
        var text = ""
        if input[position] == "+" || input[position] == "-" {
            text.unicodeScalars.append(input[position])
            position += 1
        }
        text += readWhile { $0 == "." || ("0"..."9").contains($0) }
        if let integer = Int(text) { return .integer(integer) }
        if let double = Double(text) { return .float(double) }
        throw .parse("cannot parse number \(text)")
    }

    private mutating func parseQuote(_ quote: Unicode.Scalar) throws(JSONPathError) -> String {
        let start = position
        position += 1
        while true {
            guard position < input.count, input[position] != "\n" else { throw .parse("unterminated quoted string") }
            if input[position] == quote, input[position - 1] != "\\" {
                position += 1
                break
            }
            position += 1
        }
        let body = Array(input[(start + 1)..<(position - 1)])
        guard let text = Self.unquote(body, quote: quote) else {
            var raw = ""
            raw.unicodeScalars.append(contentsOf: input[start..<position])
            throw .parse("unquote string \(raw) error invalid syntax")
        }
        return text
    }

    /// Go's `strconv.UnquoteChar` escapes: `\n`, `\t`, `\"`, `\\`, `\xNN`, `\uNNNN`, octal.
    static func unquote(_ body: [Unicode.Scalar], quote: Unicode.Scalar) -> String? {
        var result = ""
        var index = 0
        func hexValue(_ count: Int) -> UInt32? {
            guard index + count <= body.count else { return nil }
            var text = ""
            text.unicodeScalars.append(contentsOf: body[index..<(index + count)])
            index += count
            return UInt32(text, radix: 16)
        }
        while index < body.count {
            let scalar = body[index]
            index += 1
            guard scalar == "\\" else {
                result.unicodeScalars.append(scalar)
                continue
            }
            guard index < body.count else { return nil }
            let escape = body[index]
            index += 1
            switch escape {
            case "a": result += "\u{07}"
            case "b": result += "\u{08}"
            case "f": result += "\u{0C}"
            case "n": result += "\n"
            case "r": result += "\r"
            case "t": result += "\t"
            case "v": result += "\u{0B}"
            case "\\": result += "\\"
            case "\"", "'": result.unicodeScalars.append(escape)
            case "x", "u", "U":
                let count = escape == "x" ? 2 : escape == "u" ? 4 : 8
                guard let value = hexValue(count), let decoded = Unicode.Scalar(value) else { return nil }
                result.unicodeScalars.append(decoded)
            case "0"..."7":
                guard index + 2 <= body.count else { return nil }
                var text = String(Character(escape))
                text.unicodeScalars.append(contentsOf: body[index..<(index + 2)])
                index += 2
                guard let value = UInt32(text, radix: 8), value <= 255, let decoded = Unicode.Scalar(value) else {
                    return nil
                }
                result.unicodeScalars.append(decoded)
            default:
                return nil
            }
        }
        return result
    }

    /// `[...]` after its opening bracket: index, slice, `*`, union or `'key'`.
    private mutating func parseBracket() throws(JSONPathError) -> [JSONPathTemplate.Step] {
        var body = ""
        while true {
            guard position < input.count, input[position] != "\n" else { throw .parse("unterminated array") }
            if input[position] == "]" {
                position += 1
                break
            }
            body.unicodeScalars.append(input[position])
            position += 1
        }
        if body == "*" { body = ":" }
        let pieces = body.split(separator: ",", omittingEmptySubsequences: false)
        if pieces.count > 1 {
            var branches: [[JSONPathTemplate.Step]] = []
            for piece in pieces {
                let trimmed = piece.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
                var parser = JSONPathParser(Array("[\(String(trimmed))]".unicodeScalars))
                branches.append(try parser.parseAction(closing: nil))
            }
            return [.union(branches)]
        }
        if body.count >= 2, body.hasPrefix("'"), body.hasSuffix("'"), !body.dropFirst().dropLast().contains("'") {
            // `['app.kubernetes.io/name']`: one key, dots included.
            return [.field(String(body.dropFirst().dropLast()))]
        }
        return [try Self.slice(body)]
    }

    /// `n`, `start:end`, `start:end:step`, with negative indices counting from the end.
    private static func slice(_ text: String) throws(JSONPathError) -> JSONPathTemplate.Step {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(fields.count) else { throw .parse("invalid array index \(text)") }
        var values: [Int?] = []
        for field in fields {
            if field.isEmpty {
                values.append(nil)
                continue
            }
            guard let value = Int(field) else {
                if field.allSatisfy({ $0 == "-" || $0.isNumber }) { throw .parse("array index \(field) is not a number") }
                throw .parse("invalid array index \(text)")
            }
            values.append(value)
        }
        if fields.count == 1 {
            guard let index = values[0] else { throw .parse("invalid array index \(text)") }
            return .slice(start: index, end: nil, step: nil, single: true)
        }
        return .slice(start: values[0], end: values[1], step: fields.count == 3 ? values[2] : nil, single: false)
    }

    /// `[?(<left> <op> <right>)]` or `[?(<path>)]` (existence), from its opening `[`.
    private mutating func parseFilter() throws(JSONPathError) -> JSONPathTemplate.Step {
        position += 3
        var body: [Unicode.Scalar] = []
        var openQuote: Unicode.Scalar?
        var closedQuote = false
        while true {
            guard position < input.count, input[position] != "\n" else { throw .parse("unterminated filter") }
            let scalar = input[position]
            position += 1
            if scalar == "\"" || scalar == "'" {
                if openQuote == nil {
                    openQuote = scalar
                } else if scalar == openQuote, body.last != "\\" {
                    closedQuote = true
                }
            } else if scalar == ")", (openQuote == nil) == !closedQuote {
                break
            }
            body.append(scalar)
        }
        guard position < input.count, input[position] == "]" else { throw .parse("unclosed array expect ]") }
        position += 1
        // `^([^!<>=]+)([!<>=]+)(.+?)$`
        let isOperator: (Unicode.Scalar) -> Bool = { "!<>=".unicodeScalars.contains($0) }
        if let operatorStart = body.firstIndex(where: isOperator), operatorStart > 0 {
            let operatorEnd = body[operatorStart...].firstIndex { !isOperator($0) } ?? body.count
            if operatorEnd < body.count {
                var op = ""
                op.unicodeScalars.append(contentsOf: body[operatorStart..<operatorEnd])
                var left = JSONPathParser(Array(body[..<operatorStart]))
                var right = JSONPathParser(Array(body[operatorEnd...]))
                return .filter(
                    left: try left.parseAction(closing: nil), op: op, right: try right.parseAction(closing: nil))
            }
        }
        var path = JSONPathParser(body)
        return .exists(try path.parseAction(closing: nil))
    }

    static func isTerminator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "\r", "\n", ".", ",", "[", "]", "$", "@", "{", "}": return true
        default: return false
        }
    }

    static func isAlphaNumeric(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
