import SkiffAPI
import Testing

@Suite struct SkiffAPILabelSelectorTests {
    static let labels = ["app": "mytest", "tier": "web", "track": "stable", "replicas": "5"]

    @Test(arguments: [
        ("", true),
        ("app=mytest", true),
        ("app==mytest", true),
        ("app=other", false),
        ("app!=other", true),
        ("missing!=x", true),
        ("tier in (web,db)", true),
        ("tier in (db)", false),
        ("tier notin (db, cache)", true),
        ("missing notin (x)", true),
        ("tier notin (web)", false),
        ("app", true),
        ("missing", false),
        ("!missing", true),
        ("!app", false),
        ("app=mytest,tier!=db,track in (stable),!canary", true),
        ("app=mytest,tier=db", false),
        ("  app = mytest ,  tier  ", true),
        ("replicas>3", true),
        ("replicas<3", false),
        ("example.com/role=x", false),
        ("app=", false),
    ])
    func matches(selector: String, expected: Bool) throws {
        let parsed = try LabelSelector(parsing: selector)
        #expect(parsed.matches(Self.labels) == expected, "\(selector)")
    }

    @Test func emptyValueMatchesOnlyEmptyLabel() throws {
        #expect(try LabelSelector(parsing: "app=").matches(["app": ""]))
        #expect(try LabelSelector(parsing: "app in ()").matches(["app": ""]))
    }

    @Test func printsCanonicalSortedForm() throws {
        let selector = try LabelSelector(parsing: "z=1, a in (y,x), !m, k")
        #expect(selector.description == "a in (x,y),k,!m,z=1")
        #expect(try LabelSelector(parsing: selector.description) == selector)
        #expect(LabelSelector(matchLabels: ["b": "2", "a": "1"]).description == "a=1,b=2")
    }

    @Test(arguments: [
        ("a b", "found 'b', expected: in, notin, =, ==, !=, gt, lt"),
        ("!a b", "found 'b', expected: ',' or 'end of string'"),
        ("a=b c", "found 'c', expected: ',' or 'end of string'"),
        ("a in b", "found 'b', expected: '('"),
        ("a in (b", "found '', expected: ',', ')' or identifier"),
        ("a=b,", "found '', expected: identifier after ','"),
        ("=b", "found '=', expected: !, identifier, or 'end of string'"),
        ("a < b", "for 'Gt', 'Lt' operators, the value must be an integer, got \"b\""),
        ("!", "found '', expected: identifier"),
        ("a (b)", "found '(', expected: in, notin, =, ==, !=, gt, lt"),
        ("a/b/c=x", "key: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters"),
        ("app=a%b", "values[0][app]: Invalid value: \"a%b\": a valid label must be an empty string"),
    ])
    func rejectsMalformedSelectors(selector: String, detail: String) {
        #expect {
            try LabelSelector(parsing: selector)
        } throws: { error in
            guard let error = error as? SelectorError else { return false }
            return error.detail.hasPrefix(detail) && error.selector == selector
                && error.description.hasPrefix("unable to parse requirement: ")
        }
    }

    @Test func parsesTheStructuredForm() throws {
        let json = try JSONValue(jsonString: """
            {"matchLabels":{"app":"mytest"},"matchExpressions":[\
            {"key":"tier","operator":"In","values":["web","db"]},\
            {"key":"track","operator":"NotIn","values":["canary"]},\
            {"key":"app","operator":"Exists"},{"key":"canary","operator":"DoesNotExist"}]}
            """)
        let selector = try LabelSelector(json: json, field: "spec.selector")
        #expect(selector.matches(Self.labels))
        #expect(!selector.matches(["app": "mytest", "tier": "cache"]))
        #expect(!selector.matches(["app": "mytest", "tier": "web", "canary": "1"]))
        #expect(try LabelSelector(json: .emptyObject).isEverything)
        #expect(try LabelSelector(json: ["matchLabels": ["app": "mytest"]]) == LabelSelector(matchLabels: ["app": "mytest"]))
    }

    @Test(arguments: [
        (#"{"matchExpressions":[{"key":"a","operator":"Equals","values":["x"]}]}"#,
         #"spec.selector.matchExpressions[0].operator: Unsupported value: "Equals": supported values: "In", "NotIn", "Exists", "DoesNotExist""#),
        (#"{"matchExpressions":[{"key":"a","operator":"In","values":[]}]}"#,
         "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"),
        (#"{"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]}"#,
         "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
        (#"{"matchExpressions":[{"operator":"Exists"}]}"#, "spec.selector.matchExpressions[0].key: Required value"),
        (#"{"matchLabels":{"app":"a b"}}"#, #"spec.selector.matchLabels: Invalid value: "a b": a valid label must be"#),
        (#"{"matchLabels":{"app":3}}"#, "spec.selector.matchLabels: Invalid value: map[string]interface {}{\"app\":3}: must be a map of strings"),
    ])
    func rejectsMalformedStructuredSelectors(json: String, message: String) throws {
        let value = try JSONValue(jsonString: json)
        #expect {
            try LabelSelector(json: value, field: "spec.selector")
        } throws: { error in
            (error as? FieldError)?.description.hasPrefix(message) == true
        }
    }
}
