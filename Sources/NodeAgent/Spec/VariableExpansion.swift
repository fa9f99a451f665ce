/// Kubernetes' `$(VAR)` expansion (third_party/forked/golang/expansion) for env values,
/// `command` and `args`.
///
/// The rules users rely on: `$(NAME)` becomes the value when `lookup` knows NAME and stays
/// as written when it does not; `$$` is an escaped `$` (so `$$(NAME)` yields `$(NAME)`);
/// a `$` followed by anything else, a trailing `$`, and an unclosed `$(` are copied as they are.
/// A name runs to the first `)` (so `$($(A)` names `$(A`), and there is no recursion:
/// a value that itself contains `$(X)` is inserted verbatim.
package enum VariableExpansion {
    private static let dollar = UInt8(ascii: "$")
    private static let open = UInt8(ascii: "(")
    private static let close = UInt8(ascii: ")")

    package static func expand(_ input: String, lookup: (String) -> String?) -> String {
        let bytes = Array(input.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var cursor = 0
        while cursor < bytes.count {
            let byte = bytes[cursor]
            guard byte == dollar, cursor + 1 < bytes.count else {
                output.append(byte)
                cursor += 1
                continue
            }
            let next = bytes[cursor + 1]
            if next == dollar {
                output.append(dollar)
                cursor += 2
            } else if next == open, let closing = bytes[(cursor + 2)...].firstIndex(of: close) {
                let name = String(decoding: bytes[(cursor + 2)..<closing], as: UTF8.self)
                if let value = lookup(name) {
                    output.append(contentsOf: value.utf8)
                } else {
                    output.append(contentsOf: bytes[cursor...closing])
                }
                cursor = closing + 1
            } else {
                // `$x` or a `$(` with no `)` after it: both bytes are copied as they are.
                output.append(dollar)
                output.append(next)
                cursor += 2
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Expansion against `NAME=VALUE` entries, the later of duplicate names winning.
    package static func expand(_ input: String, environment: [String]) -> String {
        let table = EnvironmentTable(environment)
        return expand(input) { table[$0] }
    }
}

/// `NAME=VALUE` entries as a lookup table (the later duplicate wins, as in the container).
struct EnvironmentTable {
    private var values: [String: String] = [:]

    init(_ entries: [String]) {
        for entry in entries {
            guard let equals = entry.firstIndex(of: "=") else {
                values[entry] = ""
                continue
            }
            values[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
    }

    subscript(name: String) -> String? { values[name] }
}
