extension LabelSelector {
    /// Parses the string form as Kubernetes' `labels.Parse` does:
    /// `a=b,c!=d,e in (x,y),f notin (z),g,!h`, also `a==b`, `n>3`, `n<5`.
    /// Keys must be qualified names and values label values.
    public init(parsing text: String) throws(SelectorError) {
        var parser = LabelSelectorParser(text: text)
        self.init(requirements: try parser.parse())
    }
}

/// A token of the label selector language; identifiers are any run of characters
/// that are neither whitespace nor one of `=!(),<>`, as in Kubernetes' lexer.
private enum SelectorToken: Equatable {
    case identifier(String)
    case symbol(String)
    case end

    var text: String {
        switch self {
        case .identifier(let text), .symbol(let text): return text
        case .end: return ""
        }
    }
}

private struct LabelSelectorParser {
    let text: String
    private var tokens: [SelectorToken] = []
    private var position = 0

    init(text: String) {
        self.text = text
        tokens = Self.tokenize(text)
    }

    static func tokenize(_ text: String) -> [SelectorToken] {
        let special: Set<Character> = ["=", "!", "(", ")", ",", "<", ">"]
        let characters = Array(text)
        var tokens: [SelectorToken] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
            } else if special.contains(character) {
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if (character == "!" || character == "=") && next == "=" {
                    tokens.append(.symbol(String(character) + "="))
                    index += 2
                } else {
                    tokens.append(.symbol(String(character)))
                    index += 1
                }
            } else {
                var end = index
                while end < characters.count && !characters[end].isWhitespace && !special.contains(characters[end]) {
                    end += 1
                }
                tokens.append(.identifier(String(characters[index..<end])))
                index = end
            }
        }
        tokens.append(.end)
        return tokens
    }

    private var current: SelectorToken { tokens[position] }

    private mutating func advance() -> SelectorToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func fail(_ detail: String) -> SelectorError {
        SelectorError(selector: text, detail: detail)
    }

    mutating func parse() throws(SelectorError) -> [LabelRequirement] {
        var requirements: [LabelRequirement] = []
        while true {
            switch current {
            case .end:
                return requirements
            case .identifier, .symbol("!"):
                requirements.append(try parseRequirement())
                switch advance() {
                case .end:
                    return requirements
                case .symbol(","):
                    switch current {
                    case .identifier, .symbol("!"): continue
                    default: throw fail("found '\(current.text)', expected: identifier after ','")
                    }
                case let token:
                    throw fail("found '\(token.text)', expected: ',' or 'end of string'")
                }
            default:
                throw fail("found '\(current.text)', expected: !, identifier, or 'end of string'")
            }
        }
    }

    private mutating func parseRequirement() throws(SelectorError) -> LabelRequirement {
        var negated = false
        if current == .symbol("!") {
            negated = true
            _ = advance()
        }
        let keyToken = advance()
        guard case .identifier(let key) = keyToken else {
            throw fail("found '\(keyToken.text)', expected: identifier")
        }
        let keyProblems = NameValidation.qualifiedName(key)
        if !keyProblems.isEmpty {
            throw fail(FieldError.invalid("key", .string(key), keyProblems.joined(separator: "; ")).description)
        }
        if negated { return LabelRequirement(key: key, op: .doesNotExist) }
        if current == .end || current == .symbol(",") { return LabelRequirement(key: key, op: .exists) }

        let op: LabelRequirement.Operator
        switch advance() {
        case .identifier("in"): op = .in
        case .identifier("notin"): op = .notIn
        case .symbol("="): op = .equals
        case .symbol("=="): op = .doubleEquals
        case .symbol("!="): op = .notEquals
        case .symbol(">"): op = .greaterThan
        case .symbol("<"): op = .lessThan
        case let token: throw fail("found '\(token.text)', expected: in, notin, =, ==, !=, gt, lt")
        }

        let values: [String]
        switch op {
        case .in, .notIn: values = try parseValueSet()
        default: values = [try parseExactValue()]
        }
        for (index, value) in values.enumerated() {
            let problems = NameValidation.labelValue(value)
            if !problems.isEmpty {
                let problem = FieldError.invalid("values[\(index)][\(key)]", .string(value), problems.joined(separator: "; "))
                throw fail(problem.description)
            }
        }
        if op == .greaterThan || op == .lessThan, Int64(values[0]) == nil {
            throw fail("for 'Gt', 'Lt' operators, the value must be an integer, got \(GoValueFormat.quoted(values[0]))")
        }
        return LabelRequirement(key: key, op: op, values: values)
    }

    /// `=`, `!=` and friends take one value, possibly empty (`spec.nodeName=`-style `a=`).
    private mutating func parseExactValue() throws(SelectorError) -> String {
        switch current {
        case .end, .symbol(","): return ""
        case .identifier(let value):
            _ = advance()
            return value
        default: throw fail("found '\(current.text)', expected: identifier")
        }
    }

    /// `(x, y)`; `()` is the set holding the empty string, as in Kubernetes.
    private mutating func parseValueSet() throws(SelectorError) -> [String] {
        let open = advance()
        guard open == .symbol("(") else {
            throw fail("found '\(open.text)', expected: '('")
        }
        var values: [String] = []
        var expectValue = true
        while true {
            switch advance() {
            case .identifier(let value) where expectValue:
                values.append(value)
                expectValue = false
            case .symbol(","):
                if expectValue { values.append("") }
                expectValue = true
            case .symbol(")"):
                if expectValue { values.append("") }
                return values
            case let token:
                throw fail("found '\(token.text)', expected: ',', ')' or identifier")
            }
        }
    }
}
