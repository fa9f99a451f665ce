import SkiffAPI
import Testing

/// JSON patch (RFC 6902) as the API server applies `application/json-patch+json`,
/// with the error texts of evanphx/json-patch that kubectl prints.
@Suite struct PatchJSONPatchTests {
    func apply(_ operations: String, to document: String) throws -> JSONValue {
        try JSONPatch.apply(try PatchFixtures.json(operations), to: try PatchFixtures.json(document))
    }

    func failure(_ operations: String, on document: String) throws -> PatchError? {
        let ops = try PatchFixtures.json(operations)
        let doc = try PatchFixtures.json(document)
        do {
            _ = try JSONPatch.apply(ops, to: doc)
            return nil
        } catch {
            return error
        }
    }

    @Test func rolloutUndoReplacesTemplateAndAnnotations() throws {
        let live = try PatchFixtures.json(PatchFixtures.deploymentLive)
        let template = try PatchFixtures.json(
            #"{"metadata":{"creationTimestamp":null,"labels":{"app":"mytest"}},"spec":{"containers":[{"name":"notepad","image":"mengsixing/notepad:old"}]}}"#
        )
        let operations: JSONValue = [
            ["op": "replace", "path": "/spec/template", "value": template],
            ["op": "replace", "path": "/metadata/annotations", "value": ["deployment.kubernetes.io/revision": "3"]],
        ]
        let result = try JSONPatch.apply(operations, to: live)
        #expect(result["spec"]["template"] == template)
        #expect(result["metadata"]["annotations"] == ["deployment.kubernetes.io/revision": "3"])
        #expect(result["spec"]["replicas"] == 3)
        #expect(result["status"] == live["status"])
    }

    @Test func replaceOfMissingMemberFails() throws {
        var live = try PatchFixtures.json(PatchFixtures.deploymentLive)
        live[path: ["metadata", "annotations"]] = nil
        let error = try #require(
            try failure(
                #"[{"op":"replace","path":"/metadata/annotations","value":{"a":"b"}}]"#, on: try live.jsonString()))
        #expect(
            error.message
                == "replace operation does not apply: doc is missing key: /metadata/annotations: missing value")
        #expect(error.httpStatus == 422)
    }

    @Test func replaceUnderMissingParentFails() throws {
        let error = try #require(try failure(#"[{"op":"replace","path":"/a/b","value":1}]"#, on: "{}"))
        #expect(error.message == "replace operation does not apply: doc is missing path: /a/b: missing value")
    }

    @Test func addsMembersAndInsertsElements() throws {
        let result = try apply(
            #"[{"op":"add","path":"/baz","value":"qux"},{"op":"add","path":"/foo/1","value":"x"},{"op":"add","path":"/foo/-","value":"end"}]"#,
            to: #"{"foo":["a","b"]}"#)
        #expect(result == ["baz": "qux", "foo": ["a", "x", "b", "end"]])
    }

    @Test func negativeIndicesCountFromTheEnd() throws {
        #expect(
            try apply(#"[{"op":"add","path":"/foo/-1","value":"q"}]"#, to: #"{"foo":["a","b"]}"#) == [
                "foo": ["a", "b", "q"]
            ])
        #expect(try apply(#"[{"op":"remove","path":"/foo/-1"}]"#, to: #"{"foo":["a","b"]}"#) == ["foo": ["a"]])
    }

    @Test func addWithoutValueAddsNull() throws {
        #expect(try apply(#"[{"op":"add","path":"/a"}]"#, to: "{}") == ["a": nil])
    }

    @Test func removesMembersAndElements() throws {
        let result = try apply(
            #"[{"op":"remove","path":"/baz"},{"op":"remove","path":"/foo/0"}]"#, to: #"{"baz":1,"foo":["a","b"]}"#)
        #expect(result == ["foo": ["b"]])
    }

    @Test func movesAndCopies() throws {
        let moved = try apply(
            #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
            to: #"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#)
        #expect(moved == ["foo": ["bar": "baz"], "qux": ["corge": "grault", "thud": "fred"]])
        let copied = try apply(#"[{"op":"copy","from":"/a","path":"/b/0"}]"#, to: #"{"a":{"x":1},"b":[]}"#)
        #expect(copied == ["a": ["x": 1], "b": [["x": 1]]])
    }

    @Test func pointerEscapesDecode() throws {
        let result = try apply(
            #"[{"op":"replace","path":"/metadata/labels/app.kubernetes.io~1name","value":"y"},{"op":"add","path":"/m~0n","value":1}]"#,
            to: #"{"metadata":{"labels":{"app.kubernetes.io/name":"x"}}}"#)
        #expect(result["metadata"]["labels"]["app.kubernetes.io/name"] == "y")
        #expect(result["m~n"] == 1)
    }

    @Test func testOperationPassesAndFails() throws {
        #expect(try apply(#"[{"op":"test","path":"/foo/1","value":2}]"#, to: #"{"foo":["a",2]}"#) == ["foo": ["a", 2]])
        #expect(try apply(#"[{"op":"test","path":"/missing","value":null}]"#, to: "{}") == .object([:]))
        let failed = try #require(try failure(#"[{"op":"test","path":"/baz","value":"bar"}]"#, on: #"{"baz":"qux"}"#))
        #expect(failed.message == "testing value /baz failed: test failed")
        #expect(failed.httpStatus == 422)
    }

    @Test func failedTestFailsTheWholePatch() throws {
        let operations = try PatchFixtures.json(
            #"[{"op":"replace","path":"/spec/replicas","value":9},{"op":"test","path":"/spec/replicas","value":3}]"#)
        #expect(throws: PatchError.self) {
            try JSONPatch.apply(operations, to: try PatchFixtures.json(PatchFixtures.deploymentLive))
        }
    }

    @Test func badIndicesAreReportedLikeKubernetes() throws {
        let pastEnd = try #require(try failure(#"[{"op":"add","path":"/foo/5","value":1}]"#, on: #"{"foo":[1]}"#))
        #expect(
            pastEnd.message
                == "error in add for path: '/foo/5': Unable to access invalid index: 5: invalid index referenced")
        let removal = try #require(try failure(#"[{"op":"remove","path":"/foo/1"}]"#, on: #"{"foo":[1]}"#))
        #expect(
            removal.message
                == "error in remove for path: '/foo/1': Unable to access invalid index: 1: invalid index referenced")
        let notNumber = try #require(try failure(#"[{"op":"add","path":"/foo/x","value":1}]"#, on: #"{"foo":[1]}"#))
        #expect(
            notNumber.message
                == #"error in add for path: '/foo/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax"#
        )
        let replaceIndex = try #require(
            try failure(#"[{"op":"replace","path":"/foo/2","value":1}]"#, on: #"{"foo":[1]}"#))
        #expect(replaceIndex.message == "replace operation does not apply: doc is missing key: /foo/2: missing value")
    }

    @Test func missingPathsAndMembers() throws {
        let add = try #require(try failure(#"[{"op":"add","path":"/a/b","value":1}]"#, on: "{}"))
        #expect(add.message == #"add operation does not apply: doc is missing path: "/a/b": missing value"#)
        let remove = try #require(try failure(#"[{"op":"remove","path":"/a"}]"#, on: "{}"))
        #expect(remove.message == "error in remove for path: '/a': Unable to remove nonexistent key: a: missing value")
        let move = try #require(try failure(#"[{"op":"move","from":"/x/y","path":"/z"}]"#, on: "{}"))
        #expect(move.message == "move operation does not apply: doc is missing from path: /x/y: missing value")
        let root = try #require(try failure(#"[{"op":"add","path":"","value":1}]"#, on: "{}"))
        #expect(root.message == #"add operation does not apply: doc is missing path: "": missing value"#)
        let noPath = try #require(try failure(#"[{"op":"replace","value":1}]"#, on: "{}"))
        #expect(
            noPath.message == "replace operation failed to decode path: operation missing path field: missing value")
    }

    @Test func unknownOperationsAndBadBodies() throws {
        let unknown = try #require(try failure(#"[{"op":"frobnicate","path":"/a"}]"#, on: "{}"))
        #expect(unknown.message == "Unexpected kind: frobnicate")
        let object = try #require(try failure(#"{"op":"add"}"#, on: "{}"))
        #expect(object.message == "json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        #expect(object.httpStatus == 400)
        let item = try #require(try failure(#"["add"]"#, on: "{}"))
        #expect(item.message == "json: cannot unmarshal string into Go value of type jsonpatch.Operation")
    }
}
