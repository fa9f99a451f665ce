import SkiffAPI
import Testing

@testable import SkiffClient

/// `-o yaml` and `-o json`, checked against what kubectl 1.32 printed for the same objects.
@Suite struct PrinterYAMLTests {
    /// `kubectl create configmap c --from-literal=… --dry-run=client -o yaml`, verbatim.
    static let kubectlConfigMapYAML = #"""
        apiVersion: v1
        data:
          _x: "1"
          Item1: x
          a.b: "1"
          base60: "1:20"
          colon: 'a: b'
          dash: '- x'
          flt: "1e3"
          html: <a>&
          item2: x
          item10: x
          long: word word word word word word word word word word word word word word word
            word word word word word word word word word word word word word word word end
          nl: "a\nb "
          nl2: |-
            line1
            line2
          num: "0x1F"
          q: it's
          star: '*x'
          t: "2001-12-14"
          tab: "a\tb"
          tilde: "~"
          tr: 'trailing '
          u: héllo ✓
          "y": "y"
        kind: ConfigMap
        metadata:
          creationTimestamp: null
          name: c
        """#

    static let configMapJSON = #"{"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "c", "creationTimestamp": null}, "data": {"Item1": "x", "_x": "1", "a.b": "1", "base60": "1:20", "colon": "a: b", "dash": "- x", "flt": "1e3", "html": "<a>&", "item10": "x", "item2": "x", "long": "word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word end", "nl": "a\nb ", "nl2": "line1\nline2", "num": "0x1F", "q": "it's", "star": "*x", "t": "2001-12-14", "tab": "a\tb", "tilde": "~", "tr": "trailing ", "u": "héllo ✓", "y": "y"}}"#

    /// `kubectl create deployment notepad --image=mengsixing/notepad --replicas=3 --port=8083 --dry-run=client -o yaml`.
    static let kubectlDeploymentYAML = #"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          creationTimestamp: null
          labels:
            app: notepad
          name: notepad
        spec:
          replicas: 3
          selector:
            matchLabels:
              app: notepad
          strategy: {}
          template:
            metadata:
              creationTimestamp: null
              labels:
                app: notepad
            spec:
              containers:
              - image: mengsixing/notepad
                name: notepad
                ports:
                - containerPort: 8083
                resources: {}
        status: {}
        """#

    static let deploymentJSON = #"{"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"name": "notepad", "creationTimestamp": null, "labels": {"app": "notepad"}}, "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "notepad"}}, "template": {"metadata": {"creationTimestamp": null, "labels": {"app": "notepad"}}, "spec": {"containers": [{"name": "notepad", "image": "mengsixing/notepad", "ports": [{"containerPort": 8083}], "resources": {}}]}}, "strategy": {}}, "status": {}}"#

    @Test func configMapMatchesKubectlByteForByte() throws {
        let object = try JSONValue(jsonString: Self.configMapJSON)
        #expect(YAMLPrinter.render(object) == Self.kubectlConfigMapYAML + "\n")
    }

    @Test func deploymentMatchesKubectlByteForByte() throws {
        let object = try JSONValue(jsonString: Self.deploymentJSON)
        #expect(YAMLPrinter.render(object) == Self.kubectlDeploymentYAML + "\n")
    }

    @Test func keysSortAsGoYAMLSortsThem() {
        // Letters before other characters, digit runs by value, then length.
        let keys = ["item10", "_x", "Item1", "item2", "a.b", "kind", "apiVersion", "data", "metadata"]
        #expect(
            keys.sorted(by: GoYAMLKeyOrder.less)
                == ["_x", "Item1", "a.b", "apiVersion", "data", "item2", "item10", "kind", "metadata"])
        // A Secret prints data before kind, as kubectl prints it.
        let secret: JSONValue = ["kind": "Secret", "apiVersion": "v1", "metadata": ["name": "s"], "data": ["k": "dg=="], "type": "Opaque"]
        #expect(YAMLPrinter.render(secret) == "apiVersion: v1\ndata:\n  k: dg==\nkind: Secret\nmetadata:\n  name: s\ntype: Opaque\n")
    }

    @Test func listsPrintAsKubectlListWrapper() {
        let list = ObjectPrinter.list([["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "a"]]])
        #expect(
            YAMLPrinter.render(list)
                == "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\nkind: List\nmetadata:\n  resourceVersion: \"\"\n")
    }

    @Test func scalarsOtherThanStrings() {
        let object: JSONValue = ["i": 3, "f": 0.5, "big": 1e21, "t": true, "n": nil, "e": [], "o": [:]]
        #expect(YAMLPrinter.render(object) == "big: 1e+21\ne: []\nf: 0.5\ni: 3\n\"n\": null\no: {}\nt: true\n")
    }

    @Test func lastAppliedAnnotationPrintsAsLiteralBlock() {
        let annotation = ApplyPlan.lastAppliedConfiguration(of: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "a"]])
        let object: JSONValue = ["metadata": ["annotations": .object([ApplyPlan.lastAppliedAnnotation: .string(annotation)])]]
        #expect(
            YAMLPrinter.render(object)
                == "metadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: |\n      {\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{},\"name\":\"a\"}}\n")
    }
}

@Suite struct PrinterJSONTests {
    @Test func indentsFourSpacesSortsKeysAndEscapesHTML() {
        let object: JSONValue = ["kind": "ConfigMap", "data": ["html": "<a>&", "empty": [:], "list": []], "n": 3]
        #expect(
            GoJSON.indented(object)
                == "{\n    \"data\": {\n        \"empty\": {},\n        \"html\": \"\\u003ca\\u003e\\u0026\",\n        \"list\": []\n    },\n    \"kind\": \"ConfigMap\",\n    \"n\": 3\n}")
        #expect(GoJSON.compact(["b": [1, 2], "a": "x\ny"]) == "{\"a\":\"x\\ny\",\"b\":[1,2]}")
    }

    @Test func floatsAsGoWritesThem() {
        #expect(GoNumberFormat.json(0.5) == "0.5")
        #expect(GoNumberFormat.json(100) == "100")
        #expect(GoNumberFormat.json(1e21) == "1e+21")
        #expect(GoNumberFormat.json(1e-7) == "1e-7")
        #expect(GoNumberFormat.json(123456789.0) == "123456789")
        #expect(GoNumberFormat.yamlFloat(1e6) == "1e+06")
        #expect(GoNumberFormat.yamlFloat(123456) == "123456")
        #expect(GoNumberFormat.yamlFloat(0.0001) == "0.0001")
        #expect(GoNumberFormat.yamlFloat(0.00001) == "1e-05")
        #expect(GoNumberFormat.yamlFloat(-2.5) == "-2.5")
        #expect(GoNumberFormat.yamlFloat(.infinity) == ".inf")
    }
}
