import SkiffAPI
import Testing

@testable import SkiffClient

/// `get`: the requests it sends and what it prints, for lists, names, several kinds,
/// non-table formats and `-w`.
@Suite struct PrinterGetTests {
    static func table(_ names: [String], resourceVersion: String = "7", columns: Bool = true) -> JSONValue {
        var table: JSONValue = [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": ["resourceVersion": .string(resourceVersion)],
            "rows": .array(names.map { name in
                ["cells": [.string(name), "3/3", "5s"], "object": ["metadata": ["name": .string(name), "namespace": "default"]]]
            }),
        ]
        if columns {
            table["columnDefinitions"] = [
                ["name": "Name", "type": "string", "format": "name", "priority": 0],
                ["name": "Ready", "type": "string", "format": "", "priority": 0],
                ["name": "Age", "type": "string", "format": "", "priority": 0],
            ]
        }
        return table
    }

    private func run(
        _ arguments: [String], options: GetOptions = GetOptions(), watchEvents: [JSONValue] = [],
        respond: @escaping @Sendable (ManifestTestTransport.Request) -> (Int, JSONValue)
    ) async throws -> (ok: Bool, out: String, err: String, requests: [ManifestTestTransport.Request]) {
        let transport = ManifestTestTransport(watchEvents: watchEvents, respond: respond)
        let printed = ManifestTestOutput()
        let session = KubeSession(transport: transport, namespace: "default")
        let ok = try await ResourceGetter(session: session, options: options, output: printed.output)
            .run(try ResourceArguments(arguments, registry: session.registry))
        return (ok, printed.out, printed.err, transport.requests)
    }

    @Test func listAsksForATable() async throws {
        let result = try await run(["deploy"]) { _ in (200, Self.table(["notepad"])) }
        #expect(result.out == "NAME      READY   AGE\nnotepad   3/3     5s\n")
        let request = try #require(result.requests.first)
        #expect(request.path == "/apis/apps/v1/namespaces/default/deployments")
        #expect(request.accept == "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
        #expect(request.queryValue("limit") == "500")
    }

    @Test func emptyListSaysSoOnStandardError() async throws {
        let result = try await run(["pods"]) { _ in (200, Self.table([])) }
        #expect(result.out == "")
        #expect(result.err == "No resources found in default namespace.\n")
        var all = GetOptions()
        all.allNamespaces = true
        let across = try await run(["pods"], options: all) { _ in (200, Self.table([])) }
        #expect(across.err == "No resources found\n")
        #expect(across.requests.first?.path == "/api/v1/pods")
    }

    @Test func severalKindsArePrefixedAndSeparated() async throws {
        let result = try await run(["deploy,svc"]) { request in
            (200, Self.table([request.path.hasSuffix("deployments") ? "notepad" : "my-service"]))
        }
        #expect(
            result.out == """
                NAME                      READY   AGE
                deployment.apps/notepad   3/3     5s

                NAME                 READY   AGE
                service/my-service   3/3     5s

                """)
    }

    @Test func missingNamesAreReportedAndTheRestPrinted() async throws {
        let result = try await run(["deploy", "notepad", "gone"]) { request in
            if request.path.hasSuffix("/gone") { return ManifestTestReplies.notFound("deployments", group: "apps", name: "gone") }
            return (200, Self.table(["notepad"]))
        }
        #expect(!result.ok)
        #expect(result.out == "NAME      READY   AGE\nnotepad   3/3     5s\n")
        #expect(result.err == "Error from server (NotFound): deployments.apps \"gone\" not found\n")
    }

    @Test func yamlAsksForPlainJSONAndWrapsLists() async throws {
        var options = GetOptions()
        options.output = .yaml
        let list: JSONValue = ["kind": "ConfigMapList", "apiVersion": "v1", "metadata": ["resourceVersion": "9"], "items": [["metadata": ["name": "a"]]]]
        let result = try await run(["cm"], options: options) { _ in (200, list) }
        #expect(result.requests.first?.accept == "application/json")
        #expect(
            result.out
                == "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\nkind: List\nmetadata:\n  resourceVersion: \"\"\n")
        options.output = try OutputFormat("jsonpath={.metadata.name}")
        let single = try await run(["cm", "a"], options: options) { _ in (200, ["metadata": ["name": "a"]]) }
        #expect(single.out == "a")
    }

    @Test func watchPrintsRowsAfterTheTable() async throws {
        var options = GetOptions()
        options.watch = true
        let events: [JSONValue] = [
            ["type": "ADDED", "object": Self.table(["notepad-2"], columns: false)],
            ["type": "MODIFIED", "object": Self.table(["notepad"])],
        ]
        let result = try await run(["deploy"], options: options, watchEvents: events) { _ in (200, Self.table(["notepad"])) }
        #expect(result.out == "NAME      READY   AGE\nnotepad   3/3     5s\nnotepad-2   3/3     5s\nnotepad     3/3     5s\n")
        let watch = try #require(result.requests.last)
        #expect(watch.method == "WATCH")
        #expect(watch.queryValue("resourceVersion") == "7")
        #expect(watch.queryValue("watch") == "true")
        #expect(watch.accept == "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
    }

    @Test func watchEventsSplitAcrossChunks() throws {
        var decoder = WatchEventDecoder()
        let text = #"{"type":"ADDED","object":{"s":"}{"}}"# + "\n" + #"{"type":"DELETED","object":{}}"#
        let bytes = Array(text.utf8)
        var events: [WatchEvent] = []
        for chunk in stride(from: 0, to: bytes.count, by: 7).map({ Array(bytes[$0..<min($0 + 7, bytes.count)]) }) {
            events += try decoder.feed(chunk)
        }
        #expect(events.map(\.type) == ["ADDED", "DELETED"])
        #expect(events[0].object == ["s": "}{"])
    }

    @Test func resourceArgumentsAsKubectlReadsThem() throws {
        let registry = ResourceRegistry.builtin
        let typed = try ResourceArguments(["deploy/a", "deploy/b", "svc/c"], registry: registry)
        #expect(typed.selections.map(\.kind.plural) == ["deployments", "services"])
        #expect(typed.selections.map(\.names) == [["a", "b"], ["c"]])
        #expect(typed.spansSeveralKinds)
        let all = try ResourceArguments(["all"], registry: registry)
        #expect(all.selections.map(\.kind.plural) == ["pods", "services", "daemonsets", "deployments", "replicasets", "statefulsets", "jobs"])
        #expect(throws: CtlError.self) { try ResourceArguments(["nonsense"], registry: registry) }
        #expect(throws: CtlError.self) { try ResourceArguments(["deploy", "deploy/a"], registry: registry) }
        #expect(throws: CtlError.self) { try ResourceArguments([], registry: registry) }
    }
}
