import SkiffAPI

extension JSONPathTemplate {
    /// Renders the template against `data` as `kubectl -o jsonpath` prints it: missing fields
    /// give nothing, several results of one action are separated by spaces, strings print
    /// bare, maps and lists as compact JSON, null as `null`.
    public func render(_ data: JSONValue) throws(JSONPathError) -> String {
        var output = ""
        var index = 0
        try execute(parts[...], index: &index, current: data, into: &output, inRange: false)
        return output
    }

    /// The values of the first action, for custom columns (`NAME:.metadata.name`).
    public func values(_ data: JSONValue) throws(JSONPathError) -> [JSONValue] {
        for part in parts {
            if case .action(let steps) = part { return try Self.evaluate(steps, on: [data]) }
        }
        return []
    }

    /// Runs parts from `index`; a `range` action repeats the parts up to its `end` for each
    /// value, and returns at `end` when called for a range body.
    private func execute(
        _ parts: ArraySlice<Part>, index: inout Int, current: JSONValue, into output: inout String, inRange: Bool
    ) throws(JSONPathError) {
        while index < parts.endIndex {
            let part = parts[index]
            index += 1
            switch part {
            case .text(let text):
                output += text
            case .action(let steps):
                if steps.first == .end {
                    guard inRange else { throw .execution("not in range, nothing to end") }
                    return
                }
                if steps.first == .range {
                    let items = try Self.evaluate(Array(steps.dropFirst()), on: [current])
                    let bodyStart = index
                    var bodyEnd = index
                    if items.isEmpty {
                        // Skip the body: run it against nothing, discarding the output.
                        var discarded = ""
                        try skipRangeBody(parts, index: &bodyEnd, into: &discarded)
                    }
                    for item in items {
                        bodyEnd = bodyStart
                        try execute(parts, index: &bodyEnd, current: item, into: &output, inRange: true)
                    }
                    index = bodyEnd
                    continue
                }
                let results = try Self.evaluate(steps, on: [current])
                output += results.map(Self.text).joined(separator: " ")
            }
        }
    }

    /// Moves `index` past the matching `end` of a range whose list was empty.
    private func skipRangeBody(_ parts: ArraySlice<Part>, index: inout Int, into output: inout String) throws(JSONPathError) {
        var depth = 1
        while index < parts.endIndex {
            if case .action(let steps) = parts[index] {
                if steps.first == .range { depth += 1 }
                if steps.first == .end {
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return
                    }
                }
            }
            index += 1
        }
    }

    /// How one result prints.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .string(let string): return string
        case .array, .object: return GoJSON.compact(value)
        default: return GoSprint.format(value)
        }
    }

    static func evaluate(_ steps: [Step], on input: [JSONValue]) throws(JSONPathError) -> [JSONValue] {
        var current = input
        for step in steps { current = try apply(step, to: current) }
        return current
    }

    private static func apply(_ step: Step, to input: [JSONValue]) throws(JSONPathError) -> [JSONValue] {
        switch step {
        case .field(let name):
            return input.compactMap { value in
                guard case .object(let members) = value else { return nil }
                return members[name]
            }
        case .wildcard:
            return input.flatMap(children)
        case .recursive:
            var results: [JSONValue] = []
            for value in input { descend(value, into: &results) }
            return results
        case .slice(let start, let end, let step, let single):
            var results: [JSONValue] = []
            for value in input where !value.isNull {
                guard case .array(let elements) = value else {
                    throw .execution("\(goTypeName(value)) is not array or slice")
                }
                results += try slice(elements, start: start, end: end, step: step, single: single)
            }
            return results
        case .union(let branches):
            var results: [JSONValue] = []
            for branch in branches { results += try evaluate(branch, on: input) }
            return results
        case .filter(let left, let op, let right):
            return try filter(input, left: left, op: op, right: right)
        case .exists(let path):
            var results: [JSONValue] = []
            for value in input {
                guard case .array(let elements) = value else {
                    throw .execution("\(GoSprint.format(value)) is not array or slice and cannot be filtered")
                }
                for element in elements where !((try? evaluate(path, on: [element])) ?? []).isEmpty {
                    results.append(element)
                }
            }
            return results
        case .text(let text): return input.map { _ in .string(text) }
        case .integer(let number): return input.map { _ in .integer(Int64(number)) }
        case .float(let number): return input.map { _ in .double(number) }
        case .bool(let flag): return input.map { _ in .bool(flag) }
        case .range, .end:
            throw .execution("range and end must begin an action")
        }
    }

    private static func children(_ value: JSONValue) -> [JSONValue] {
        switch value {
        case .object(let members): return members.keys.sorted().compactMap { members[$0] }
        case .array(let elements): return elements
        default: return []
        }
    }

    /// `..`: every value that has children, then its descendants, depth first.
    private static func descend(_ value: JSONValue, into results: inout [JSONValue]) {
        let nested = children(value)
        guard !nested.isEmpty else { return }
        results.append(value)
        for child in nested { descend(child, into: &results) }
    }

    private static func slice(_ elements: [JSONValue], start: Int?, end: Int?, step: Int?, single: Bool) throws(JSONPathError)
        -> [JSONValue]
    {
        let count = elements.count
        var lower = start ?? 0
        if lower < 0 { lower += count }
        var upper = single ? lower + 1 : (end ?? count)
        if !single, upper < 0 { upper += count }
        if upper != lower {
            if lower >= count || lower < 0 {
                throw .execution("array index out of bounds: index \(lower), length \(count)")
            }
            if upper > count { throw .execution("array index out of bounds: index \(upper - 1), length \(count)") }
        }
        guard lower < upper else { return [] }
        let stride = max(1, step ?? 1)
        return Swift.stride(from: lower, to: upper, by: stride).map { elements[$0] }
    }

    private static func filter(_ input: [JSONValue], left: [Step], op: String, right: [Step]) throws(JSONPathError)
        -> [JSONValue]
    {
        var results: [JSONValue] = []
        for value in input {
            guard case .array(let elements) = value else {
                throw .execution("\(GoSprint.format(value)) is not array or slice and cannot be filtered")
            }
            for element in elements {
                let lefts = try evaluate(left, on: [element])
                let rights = try evaluate(right, on: [element])
                guard lefts.count == 1, rights.count == 1 else {
                    throw .execution("can only compare one element at a time")
                }
                if try compare(lefts[0], op, rights[0]) { results.append(element) }
            }
        }
        return results
    }

    /// Comparisons as Go templates make them: numbers with numbers, strings with strings,
    /// booleans only for equality.
    private static func compare(_ left: JSONValue, _ op: String, _ right: JSONValue) throws(JSONPathError) -> Bool {
        let ordering: Int
        switch (left, right) {
        case (.string(let a), .string(let b)):
            ordering = a < b ? -1 : (a == b ? 0 : 1)
        case (.bool(let a), .bool(let b)):
            guard op == "==" || op == "!=" else { throw .execution("invalid type for comparison") }
            ordering = a == b ? 0 : 1
        default:
            guard let a = left.doubleValue, let b = right.doubleValue else {
                throw .execution("incompatible types for comparison")
            }
            ordering = a < b ? -1 : (a == b ? 0 : 1)
        }
        switch op {
        case "==": return ordering == 0
        case "!=": return ordering != 0
        case "<": return ordering < 0
        case ">": return ordering > 0
        case "<=": return ordering <= 0
        case ">=": return ordering >= 0
        default: throw .execution("unrecognized filter operator \(op)")
        }
    }

    /// The Go type a decoded JSON value has, as client-go's messages name it.
    private static func goTypeName(_ value: JSONValue) -> String {
        switch value {
        case .object: return "map[string]interface {}"
        case .array: return "[]interface {}"
        case .string: return "string"
        case .integer: return "int64"
        case .double: return "float64"
        case .bool: return "bool"
        case .null: return "interface {}"
        }
    }
}
