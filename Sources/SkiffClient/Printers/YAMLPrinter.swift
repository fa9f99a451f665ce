import SkiffAPI
import Yams

/// `-o yaml` as kubectl prints it (sigs.k8s.io/yaml over go-yaml v2): keys in go-yaml's
/// order, block style, sequences not indented under their key, strings that would read as
/// something else double-quoted (`"3"`, `"yes"`, `""`), multi-line strings as `|` blocks,
/// lines folded at 80 columns. Yams' emitter is libyaml, of which go-yaml's is a port, so
/// given the same styles it lays text out the same way.
public enum YAMLPrinter {
    public static func render(_ value: JSONValue) -> String {
        do {
            return try Yams.serialize(node: node(for: value), allowUnicode: true)
        } catch {
            // libyaml refuses only malformed event streams, which node(for:) never builds.
            return GoJSON.indented(value) + "\n"
        }
    }

    static func node(for value: JSONValue) -> Node {
        switch value {
        case .null: return .scalar(.init("null", Tag(.null), .plain))
        case .bool(let flag): return .scalar(.init(flag ? "true" : "false", Tag(.bool), .plain))
        case .integer(let number): return .scalar(.init(String(number), Tag(.int), .plain))
        case .double(let number): return .scalar(.init(GoNumberFormat.yamlFloat(number), Tag(.float), .plain))
        case .string(let string): return stringNode(string)
        case .array(let elements): return .sequence(.init(elements.map(node(for:)), Tag(.seq), .block))
        case .object(let members):
            let keys = members.keys.sorted(by: GoYAMLKeyOrder.less)
            return .mapping(.init(keys.map { (stringNode($0), node(for: members[$0] ?? .null)) }, Tag(.map), .block))
        }
    }

    /// go-yaml's choice for a string: literal if it has a newline, double-quoted if it would
    /// resolve to another type, otherwise plain (libyaml falls back to single quotes when a
    /// plain scalar cannot hold it, as in `'a: b'`).
    static func stringNode(_ string: String) -> Node {
        let style: Node.Scalar.Style
        if string.contains("\n") {
            style = .literal
        } else if YAMLScalarResolution.needsQuotes(string) {
            style = .doubleQuoted
        } else {
            style = .plain
        }
        return .scalar(.init(string, Tag(.str), style))
    }
}

/// The order go-yaml v2 sorts map keys in (`keyList.Less`): letters compare as characters
/// and sort before other characters, and runs of digits compare as numbers, so `item2`
/// comes before `item10`. kubectl's `-o yaml` therefore lists `apiVersion, data, kind,
/// metadata` for a Secret, not the order the object was written in.
public enum GoYAMLKeyOrder {
    public static func less(_ a: String, _ b: String) -> Bool {
        let ar = Array(a.unicodeScalars)
        let br = Array(b.unicodeScalars)
        var i = 0
        while i < ar.count && i < br.count {
            if ar[i] == br[i] {
                i += 1
                continue
            }
            let aLetter = ar[i].properties.isAlphabetic
            let bLetter = br[i].properties.isAlphabetic
            if aLetter && bLetter { return ar[i].value < br[i].value }
            if aLetter || bLetter { return bLetter }
            var an: Int64 = 0
            var bn: Int64 = 0
            if ar[i] == "0" || br[i] == "0" {
                var j = i - 1
                while j >= 0, isDigit(ar[j]) {
                    if ar[j] != "0" {
                        an = 1
                        bn = 1
                        break
                    }
                    j -= 1
                }
            }
            var ai = i
            while ai < ar.count, isDigit(ar[ai]) {
                an = an &* 10 &+ Int64(ar[ai].value - 48)
                ai += 1
            }
            var bi = i
            while bi < br.count, isDigit(br[bi]) {
                bn = bn &* 10 &+ Int64(br[bi].value - 48)
                bi += 1
            }
            if an != bn { return an < bn }
            if ai != bi { return ai < bi }
            return ar[i].value < br[i].value
        }
        return ar.count < br.count
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.numericType == .decimal
    }
}
