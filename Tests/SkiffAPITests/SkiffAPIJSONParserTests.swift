import Foundation
import SkiffAPI
import Testing

@Suite struct SkiffAPIJSONParserTests {
    @Test func readsEveryKindOfValue() throws {
        let value = try JSONValue(jsonString: #" {"a": [true, false, null, -12, 0, 3.25, -1.5e2, 1E+2, "x"], "b": {}, "c": []} "#)
        #expect(value == ["a": [true, false, nil, -12, 0, 3.25, -150.0, 100.0, "x"], "b": .emptyObject, "c": []])
    }

    @Test func decodesEscapesAndUnicode() throws {
        let value = try JSONValue(jsonString: #"["a\"b\\c\/d\n\t\r\b\f", "\u00e9\u4e2d", "\ud83d\ude80", "中文 ok"]"#)
        #expect(value == ["a\"b\\c/d\n\t\r\u{08}\u{0C}", "é中", "🚀", "中文 ok"])
        let back = try JSONValue(jsonString: try value.jsonString())
        #expect(back == value)
    }

    @Test func keepsLargeIntegersExactAndOverflowsToDouble() throws {
        #expect(try JSONValue(jsonString: "9223372036854775807") == .integer(.max))
        #expect(try JSONValue(jsonString: "-9223372036854775808") == .integer(.min))
        #expect(try JSONValue(jsonString: "9223372036854775808") == .double(9_223_372_036_854_775_808))
    }

    @Test(arguments: [
        ("", 0, "unexpected end of input"),
        ("{\"a\":1,}", 7, "expected a member name"),
        ("[1 2]", 3, "expected ',' or ']' in array"),
        ("{\"a\" 1}", 5, "expected ':' after member name"),
        ("tru", 0, "invalid literal, expected true"),
        ("01", 1, "unexpected data after the top-level value"),
        ("1.", 2, "invalid number: digits expected after '.'"),
        ("\"abc", 4, "unterminated string"),
        ("\"a\nb\"", 2, "control character in string"),
        (#""\ud800""#, 7, "unpaired surrogate in \\u escape"),
        (#""\q""#, 3, "invalid escape '\\q'"),
        ("{} x", 3, "unexpected data after the top-level value"),
        ("1e999", 5, "number 1e999 is out of range"),
    ])
    func reportsWhereAndWhy(text: String, offset: Int, message: String) {
        #expect(throws: JSONParseError(offset: offset, message: message)) { try JSONValue(jsonString: text) }
    }

    @Test func rejectsInvalidUTF8AndDeepNesting() {
        #expect(throws: JSONParseError.self) { try JSONValue(jsonBytes: [0x22, 0xFF, 0x22]) }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError.self) { try JSONValue(jsonString: deep) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect((try? JSONValue(jsonString: fine)) != nil)
    }

    @Test func decodesThroughCodableToo() throws {
        struct Wrapper: Codable, Equatable { var object: JSONValue }
        let wrapper = Wrapper(object: ["n": 1, "s": "x", "l": [1.5, nil]])
        let data = try JSONEncoder().encode(wrapper)
        #expect(try JSONDecoder().decode(Wrapper.self, from: data) == wrapper)
    }
}

