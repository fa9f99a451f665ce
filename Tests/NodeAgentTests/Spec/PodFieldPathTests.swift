import SkiffAPI
import Testing

@testable import NodeAgent

@Suite struct PodFieldPathTests {
    let pod: JSONValue
    init() throws {
        pod = try json(
            #"""
            {"metadata":{"name":"web","namespace":"prod","uid":"u-1",
                         "labels":{"tier":"front","app":"mytest"},
                         "annotations":{"note":"say \"hi\"\nbye","Example.com/Owner":"me"}},
             "spec":{"nodeName":"node-1","serviceAccountName":"builder"},
             "status":{"phase":"Running","hostIP":"10.0.0.1","hostIPs":[{"ip":"10.0.0.1"},{"ip":"fd00::1"}],"podIP":"10.88.0.5"}}
            """#)
    }

    @Test func metadataFields() throws {
        #expect(try PodFieldPath.value("metadata.name", pod: pod) == "web")
        #expect(try PodFieldPath.value("metadata.namespace", pod: pod) == "prod")
        #expect(try PodFieldPath.value("metadata.uid", pod: pod) == "u-1")
        #expect(try PodFieldPath.value("metadata.labels['app']", pod: pod) == "mytest")
        #expect(try PodFieldPath.value("metadata.labels['missing']", pod: pod) == "")
        #expect(try PodFieldPath.value("metadata.annotations['Example.com/Owner']", pod: pod) == "me")
    }

    @Test func mapsUseTheDownwardAPIFileFormat() throws {
        #expect(try PodFieldPath.value("metadata.labels", pod: pod) == "app=\"mytest\"\ntier=\"front\"")
        #expect(
            try PodFieldPath.value("metadata.annotations", pod: pod)
                == "Example.com/Owner=\"me\"\nnote=\"say \\\"hi\\\"\\nbye\"")
        #expect(PodFieldPath.formatMap([:]) == "")
    }

    @Test func specAndStatusFields() throws {
        #expect(try PodFieldPath.value("spec.nodeName", pod: pod) == "node-1")
        #expect(try PodFieldPath.value("spec.host", pod: pod) == "node-1")
        #expect(try PodFieldPath.value("spec.serviceAccountName", pod: pod) == "builder")
        #expect(try PodFieldPath.value("status.hostIP", pod: pod) == "10.0.0.1")
        #expect(try PodFieldPath.value("status.hostIPs", pod: pod) == "10.0.0.1,fd00::1")
        #expect(try PodFieldPath.value("status.podIP", pod: pod) == "10.88.0.5")
        #expect(try PodFieldPath.value("status.podIPs", pod: pod) == "10.88.0.5")
    }

    @Test func unsupportedPathsUseKubeletWording() {
        #expect(throws: PodConfigError("field label not supported: spec.containers")) {
            try PodFieldPath.value("spec.containers", pod: pod)
        }
        #expect(throws: PodConfigError("field label does not support subscript: spec.nodeName['x']")) {
            try PodFieldPath.value("spec.nodeName['x']", pod: pod)
        }
        // Accepted by the API server, but not readable on a node.
        #expect(throws: PodConfigError("unsupported fieldPath: status.phase")) {
            try PodFieldPath.value("status.phase", pod: pod)
        }
        #expect(throws: PodConfigError("unsupported pod version: v2")) {
            try PodFieldPath.value("metadata.name", pod: pod, apiVersion: "v2")
        }
        #expect(throws: PodConfigError("unsupported fieldPath: spec.nodeName")) {
            try PodFieldPath.metadataValue("spec.nodeName", pod: pod)
        }
        #expect(throws: PodConfigError("fieldPath \"spec.nodeName['x']\" does not support subscript")) {
            try PodFieldPath.metadataValue("spec.nodeName['x']", pod: pod)
        }
    }

    @Test func invalidSubscriptKeysAreRefused() {
        #expect(
            throws: PodConfigError(
                "invalid key subscript in metadata.labels['a b']: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
            )
        ) {
            try PodFieldPath.value("metadata.labels['a b']", pod: pod)
        }
    }
}
