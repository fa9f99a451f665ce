import SkiffAPI
import Testing

@testable import SkiffClient

/// `-o jsonpath=…`, with the outputs kubectl 1.32 printed for the same templates on
/// `kubectl create deployment x --image=y --replicas=2 --dry-run=client`.
@Suite struct JSONPathTests {
    static let deployment: JSONValue = (try? JSONValue(
        jsonString: """
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"creationTimestamp":null,"labels":{"app":"x"},"name":"x"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"x"}},"strategy":{},
                     "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"x"}},
                                 "spec":{"containers":[{"image":"y","name":"y","resources":{}}]}}},
             "status":{}}
            """)) ?? .null

    private func run(_ template: String, on data: JSONValue = JSONPathTests.deployment) throws -> String {
        try JSONPathTemplate(template).render(data)
    }

    @Test func kubectlOutputs() throws {
        #expect(try run("{.spec.replicas}") == "2")
        #expect(try run("{.spec.replicas} {.kind}") == "2 Deployment")
        #expect(try run(#"{.metadata.labels.app}{"\n"}"#) == "x\n")
        #expect(try run("{.metadata}") == #"{"creationTimestamp":null,"labels":{"app":"x"},"name":"x"}"#)
        #expect(try run("{.spec.template.spec.containers}") == #"[{"image":"y","name":"y","resources":{}}]"#)
        #expect(try run("{.metadata.creationTimestamp}") == "null")
        #expect(try run("{.nope}") == "")
        #expect(try run("{.spec.x.y}") == "")
        #expect(try run("{.spec.template.spec.containers[*].name}") == "y")
        #expect(try run("{range .spec.template.spec.containers[*]}[{.name}]{end}") == "[y]")
        #expect(try run(#"{.spec.template.spec.containers[?(@.name=="x")].image}"#) == "")
        #expect(try run(#"{.spec.template.spec.containers[?(@.name=="y")].image}"#) == "y")
        #expect(try run("{.metadata.labels['app']}") == "x")
        #expect(try run("{..name}") == "x y")
        #expect(try run("{.status}") == "{}")
        #expect(try run("{.spec.template.spec.containers[-1:].name}") == "y")
        #expect(try run("plain") == "plain")
    }

    @Test func errorsAsKubectlWordsThem() {
        #expect(throws: JSONPathError.parse("unclosed action")) { try JSONPathTemplate("{.kind") }
        #expect(throws: JSONPathError.execution("array index out of bounds: index 5, length 1")) {
            try run("{.spec.template.spec.containers[5]}")
        }
        #expect(throws: JSONPathError.execution("not in range, nothing to end")) { try run("{end}") }
    }

    @Test func rangeOverListItems() throws {
        let list = ObjectPrinter.list([["metadata": ["name": "a"]], ["metadata": ["name": "b"]]])
        #expect(try run(#"{range .items[*]}{.metadata.name}{"\n"}{end}"#, on: list) == "a\nb\n")
        #expect(try run(#"{range .items[*]}{.metadata.name}{"\t"}{end}done"#, on: list) == "a\tb\tdone")
        #expect(try run(#"{range .items[*]}{.metadata.name}{end}"#, on: ObjectPrinter.list([])) == "")
    }

    @Test func filtersIndicesAndEscapes() throws {
        let pod: JSONValue = [
            "metadata": ["annotations": ["kubernetes.io/change-cause": "v2"]],
            "status": [
                "conditions": [["type": "Initialized", "status": "True"], ["type": "Ready", "status": "False"]],
                "containerStatuses": [["restartCount": 3], ["restartCount": 0]],
            ],
        ]
        #expect(try run(#"{.status.conditions[?(@.type=="Ready")].status}"#, on: pod) == "False")
        #expect(try run(#"{.status.containerStatuses[?(@.restartCount>1)].restartCount}"#, on: pod) == "3")
        #expect(try run("{.status.conditions[0].type}", on: pod) == "Initialized")
        #expect(try run("{.status.conditions[0,1].type}", on: pod) == "Initialized Ready")
        #expect(try run(#"{.metadata.annotations.kubernetes\.io/change-cause}"#, on: pod) == "v2")
        #expect(try run("{.status.conditions[?(@.status)].type}", on: pod) == "Initialized Ready")
    }

    @Test func relaxedPathsForCustomColumns() throws {
        let data: JSONValue = ["metadata": ["name": "n"]]
        for path in ["metadata.name", ".metadata.name", "{.metadata.name}", "{metadata.name}"] {
            #expect(try JSONPathTemplate.relaxed(path).render(data) == "n")
        }
    }
}
