import Foundation
import SkiffAPI
import Testing

/// The seed's manifests as kubectl sends them (YAML converted to JSON by hand),
/// plus the annotation `kubectl apply` adds.
enum SeedManifests {
    static let deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"notepad",\
        "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"apps/v1\\"}\\n"}},\
        "spec":{"replicas":3,"selector":{"matchLabels":{"app":"mytest"}},\
        "template":{"metadata":{"labels":{"app":"mytest"}},\
        "spec":{"containers":[{"name":"notepad","image":"mengsixing/notepad","ports":[{"containerPort":8083}]}]}}}}
        """
    static let service = """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"my-service"},\
        "spec":{"type":"NodePort","ports":[{"port":80,"targetPort":8083,"nodePort":30036}],\
        "selector":{"app":"mytest"}}}
        """
}

@Suite struct SkiffAPIJSONValueTests {
    @Test func roundTripsTheSeedDeploymentLosslessly() throws {
        let value = try JSONValue(jsonString: SeedManifests.deployment)
        #expect(value["spec"]["replicas"] == .integer(3))
        #expect(value["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] == 8083)
        let again = try JSONValue(jsonData: try value.jsonData())
        #expect(again == value)
        let original = try JSONSerialization.jsonObject(with: Data(SeedManifests.deployment.utf8)) as? NSDictionary
        let written = try JSONSerialization.jsonObject(with: try value.jsonData()) as? NSDictionary
        #expect(original == written)
    }

    @Test func roundTripsTheSeedService() throws {
        let value = try JSONValue(jsonString: SeedManifests.service)
        #expect(value["spec"]["ports"][0]["nodePort"] == 30036)
        #expect(value["spec"]["selector"].stringMapValue == ["app": "mytest"])
        #expect(try JSONValue(jsonString: try value.jsonString()) == value)
    }

    @Test func keepsUnknownFieldsAndTheLastAppliedAnnotation() throws {
        var value = try JSONValue(jsonString: SeedManifests.deployment)
        value["spec"]["futureField"] = ["nested": [1, 2.5, "x", true, nil]]
        let text = try value.jsonString()
        let back = try JSONValue(jsonString: text)
        #expect(back["spec"]["futureField"]["nested"] == [1, 2.5, "x", true, nil])
        #expect(back.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"] == "{\"apiVersion\":\"apps/v1\"}\n")
    }

    @Test func keepsIntegersExactAndSeparateFromDoubles() throws {
        let value = try JSONValue(jsonString: #"{"big":9007199254740993,"neg":-5,"half":0.5,"whole":2.0}"#)
        #expect(value["big"] == .integer(9_007_199_254_740_993))
        #expect(value["neg"] == .integer(-5))
        #expect(value["half"] == .double(0.5))
        #expect(value["whole"].int64Value == 2)
        let text = try value.jsonString()
        #expect(text.contains("9007199254740993"))
        #expect(text.contains(#""neg":-5"#))
    }

    @Test func writesSortedKeysAndUnescapedSlashes() throws {
        let value: JSONValue = ["b": 1, "a": "apps/v1"]
        #expect(try value.jsonString() == #"{"a":"apps/v1","b":1}"#)
    }

    @Test func readsAndWritesPaths() {
        var value = JSONValue.emptyObject
        value[path: ["spec", "template", "metadata", "labels"]] = JSONValue(stringMap: ["app": "x"])
        #expect(value["spec"]["template"]["metadata"]["labels"]["app"] == "x")
        #expect(value[dotted: "spec.template.metadata.labels"].stringMapValue == ["app": "x"])
        value[dotted: "spec.replicas"] = 2
        #expect(value["spec"]["replicas"] == 2)
        value[dotted: "spec.replicas"] = nil
        #expect(value["spec"].objectValue?["replicas"] == nil)
        value[path: ["status", "missing"]] = nil
        #expect(value["status"].objectValue == nil, "removing under a missing member must not create it")
        #expect(value["nope"]["deeper"][3].isNull)
    }

    @Test func dropsNullFieldsRecursively() {
        let value: JSONValue = ["a": nil, "b": ["c": nil, "d": [["e": nil, "f": 1]]]]
        #expect(value.removingNullFields() == ["b": ["d": [["f": 1]]]])
    }

    @Test func rejectsMalformedJSON() {
        #expect(throws: (any Error).self) { try JSONValue(jsonString: "{\"a\":") }
    }
}
