import SkiffAPI
import Testing

@Suite struct SkiffAPIFieldSelectorTests {
    let pod: JSONValue = [
        "metadata": ["name": "notepad-1", "namespace": "default"],
        "spec": ["hostNetwork": false, "containers": [["name": "notepad"]]],
        "status": ["phase": "Running", "podIP": "10.42.0.5"],
    ]

    @Test(arguments: [
        ("", true),
        ("metadata.name=notepad-1", true),
        ("metadata.name==notepad-1", true),
        ("metadata.name=other", false),
        ("metadata.name=notepad-1,metadata.namespace!=kube-system", true),
        ("metadata.namespace!=default", false),
        ("spec.nodeName=", true),
        ("spec.nodeName!=", false),
        ("status.phase=Running", true),
        ("status.phase=Pending", false),
        ("spec.hostNetwork=false", true),
        ("status.podIP=10.42.0.5", true),
        ("spec.containers=x", false),
    ])
    func matchesPods(selector: String, expected: Bool) throws {
        let pods = try #require(ResourceRegistry.builtin.resource(named: "pods"))
        #expect(try FieldSelector(parsing: selector).matches(pod, kind: pods) == expected, "\(selector)")
    }

    @Test func matchesEventsByInvolvedObject() throws {
        let events = try #require(ResourceRegistry.builtin.resource(named: "events"))
        let event: JSONValue = [
            "metadata": ["name": "e1", "namespace": "default"],
            "involvedObject": ["kind": "Pod", "name": "notepad-1", "namespace": "default", "uid": "u1"],
            "source": ["component": "kubelet"], "type": "Normal",
        ]
        let selector = try FieldSelector(
            parsing: "involvedObject.name=notepad-1,involvedObject.namespace=default,involvedObject.uid=u1")
        #expect(selector.matches(event, kind: events))
        #expect(try FieldSelector(parsing: "source=kubelet,type=Normal").matches(event, kind: events))
        #expect(try !FieldSelector(parsing: "involvedObject.uid=u2").matches(event, kind: events))
    }

    @Test func reportsUnsupportedFieldsAndExactNames() throws {
        let selector = try FieldSelector(parsing: "metadata.name=notepad,spec.replicas=3")
        let deployments = try #require(ResourceRegistry.builtin.resource(named: "deploy"))
        #expect(selector.unsupportedFields(for: deployments) == ["spec.replicas"])
        #expect(selector.exactValue(for: "metadata.name") == "notepad")
        #expect(try FieldSelector(parsing: "metadata.namespace=x").unsupportedFields(
            for: try #require(ResourceRegistry.builtin.resource(named: "nodes"))) == ["metadata.namespace"])
    }

    @Test func handlesEscapes() throws {
        let selector = try FieldSelector(parsing: #"metadata.name=a\,b\=c,status.phase!=x"#)
        #expect(selector.requirements.count == 2)
        #expect(selector.requirements[0].value == "a,b=c")
        #expect(selector.description == #"metadata.name=a\,b\=c,status.phase!=x"#)
    }

    @Test(arguments: ["metadata.name", "a=b,c", #"metadata.name=a\x"#])
    func rejectsMalformedSelectors(text: String) {
        #expect {
            try FieldSelector(parsing: text)
        } throws: { error in
            (error as? SelectorError)?.selector == text
        }
    }
}
