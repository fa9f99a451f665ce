import APIRules
import Foundation
import SkiffAPI
import Testing

@Suite("Table envelope, columns and row objects")
struct TableConverterTests {
    typealias S = TableTestSupport

    private let pod: JSONValue = [
        "kind": "Pod", "apiVersion": "v1",
        "metadata": [
            "name": "notepad-x", "namespace": "default", "uid": "u1", "labels": ["app": "notepad"],
            "creationTimestamp": "2026-11-28T01:09:55Z",
        ],
        "spec": ["nodeName": "node-1", "containers": [["name": "notepad", "image": "mengsixing/notepad"]]],
        "status": [
            "phase": "Running", "podIP": "10.244.0.5",
            "containerStatuses": [
                [
                    "name": "notepad", "ready": true, "restartCount": 0,
                    "state": ["running": ["startedAt": "2026-11-28T01:09:57Z"]],
                ]
            ],
        ],
    ]

    @Test("a pod list becomes the reference's Table")
    func podTable() throws {
        let table = TableConverter.table(
            resource: S.resource("pods"), objects: [pod], now: S.now, includeObject: "Metadata",
            listMetadata: ["resourceVersion": "166"])
        #expect(table["kind"] == "Table")
        #expect(table["apiVersion"] == "meta.k8s.io/v1")
        #expect(table["metadata"] == ["resourceVersion": "166"])
        let first = table["columnDefinitions"][0]
        #expect(first["name"] == "Name")
        #expect(first["type"] == "string")
        #expect(first["format"] == "name")
        #expect(first["priority"] == 0)
        #expect(first["description"].stringValue?.hasPrefix("Name must be unique within a namespace.") == true)
        #expect(table["columnDefinitions"][5]["name"] == "IP")
        #expect(table["columnDefinitions"][5]["priority"] == 1)
        #expect(table["columnDefinitions"][5]["format"] == "")

        let row = table["rows"][0]
        #expect(row["cells"] == ["notepad-x", "1/1", "Running", "0", "5s", "10.244.0.5", "node-1", "<none>", "<none>"])
        #expect(
            row["object"]
                == [
                    "kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": pod["metadata"],
                ])
        #expect(row["conditions"].isNull)
    }

    @Test("pod columns and priorities are Kubernetes 1.32's")
    func podColumns() {
        #expect(
            S.columns(S.resource("pods")) == [
                "Name/0", "Ready/0", "Status/0", "Restarts/0", "Age/0", "IP/1", "Node/1", "Nominated Node/1",
                "Readiness Gates/1",
            ])
    }

    @Test("includeObject=Object carries the full object, None carries none, and the default is metadata")
    func includeObject() {
        let resource = S.resource("pods")
        let full = TableConverter.table(
            resource: resource, objects: [pod], now: S.now, includeObject: "Object", listMetadata: [:])
        #expect(full["rows"][0]["object"] == pod)
        let none = TableConverter.table(
            resource: resource, objects: [pod], now: S.now, includeObject: "None", listMetadata: [:])
        #expect(none["rows"][0].objectValue?.keys.contains("object") == false)
        #expect(none["rows"][0]["cells"].arrayValue?.count == 9)
        let defaulted = TableConverter.table(
            resource: resource, objects: [pod], now: S.now, includeObject: "", listMetadata: .null)
        #expect(defaulted["rows"][0]["object"]["kind"] == "PartialObjectMetadata")
        #expect(defaulted["metadata"] == [:])
    }

    @Test("an empty list still has columns and an empty rows array")
    func emptyList() {
        let table = TableConverter.table(
            resource: S.resource("deployments", group: "apps"), objects: [], now: S.now, includeObject: "Metadata",
            listMetadata: ["resourceVersion": "7"])
        #expect(table["rows"] == [])
        #expect(table["columnDefinitions"].arrayValue?.count == 8)
    }

    @Test("resources without a printer fall back to NAME and AGE")
    func fallback() throws {
        let resource = ResourceKind(
            groupVersionKind: GroupVersionKind(group: "example.com", version: "v1", kind: "Widget"),
            plural: "widgets", singular: "widget", namespaced: true)
        #expect(S.columns(resource) == ["Name/0", "Age/0"])
        let widget = try S.object(#"{"metadata":{"name":"w1","creationTimestamp":"2026-11-28T00:00:00Z"}}"#)
        #expect(S.cells(resource, widget) == ["w1", "70m"])
    }

    @Test("a missing or unreadable creationTimestamp reads <unknown>")
    func unknownAge() throws {
        let resource = S.resource("namespaces")
        #expect(S.cells(resource, try S.object(#"{"metadata":{"name":"a"}}"#)) == ["a", "", "<unknown>"])
        #expect(
            S.cells(resource, try S.object(#"{"metadata":{"name":"a","creationTimestamp":"yesterday"}}"#))
                == ["a", "", "<unknown>"])
    }
}
