import SkiffAPI
import Testing

/// JSON merge patch (RFC 7386): the examples of its appendix A, and what `kubectl scale` sends.
@Suite struct PatchMergeTests {
    /// RFC 7386 appendix A: original, patch, result.
    static let rfcExamples: [(String, String, String)] = [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, #"null"#, #"null"#),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ]

    @Test(arguments: rfcExamples.indices)
    func rfc7386AppendixA(_ index: Int) throws {
        let (original, patch, expected) = Self.rfcExamples[index]
        let result = JSONMergePatch.apply(try PatchFixtures.json(patch), to: try PatchFixtures.json(original))
        #expect(result == (try PatchFixtures.json(expected)))
    }

    @Test func scaleSendsReplicasOnly() throws {
        let live = try PatchFixtures.json(PatchFixtures.deploymentLive)
        let result = JSONMergePatch.apply(["spec": ["replicas": 5]], to: live)
        #expect(result["spec"]["replicas"] == 5)
        var expected = live
        expected[path: ["spec", "replicas"]] = 5
        #expect(result == expected)
    }

    @Test func listsAreReplacedNotMerged() throws {
        let live = try PatchFixtures.json(PatchFixtures.deploymentLive)
        let patch = try PatchFixtures.json(
            #"{"spec":{"template":{"spec":{"containers":[{"name":"other","image":"x"}]}}}}"#)
        let result = JSONMergePatch.apply(patch, to: live)
        #expect(result["spec"]["template"]["spec"]["containers"] == [["name": "other", "image": "x"]])
        #expect(result["spec"]["template"]["spec"]["dnsPolicy"] == "ClusterFirst")
    }

    @Test func removesAnnotationWithNull() throws {
        let live = try PatchFixtures.json(PatchFixtures.deploymentLive)
        let result = JSONMergePatch.apply(
            ["metadata": ["annotations": ["deployment.kubernetes.io/revision": nil]]], to: live)
        #expect(result["metadata"]["annotations"] == .object([:]))
        #expect(result["metadata"]["name"] == "notepad")
    }
}
