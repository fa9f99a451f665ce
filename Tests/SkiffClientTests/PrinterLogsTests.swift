import SkiffAPI
import Testing

@testable import SkiffClient

/// `logs`: which container is read, the log request's query, and kubectl's wording when
/// the pod is missing.
@Suite struct PrinterLogsTests {
    static let pod: JSONValue = [
        "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": "default"],
        "spec": ["containers": [["name": "app", "image": "a"], ["name": "sidecar", "image": "b"]]],
    ]

    @Test func defaultsToTheFirstContainerAndSaysSo() async throws {
        let transport = ManifestTestTransport { request in
            request.path.hasSuffix("/log") ? (200, "line 1\n") : (200, Self.pod)
        }
        let printed = ManifestTestOutput()
        var options = LogsOptions()
        options.tail = 5
        options.previous = true
        try await LogsAction(session: KubeSession(transport: transport, namespace: "default"), output: printed.output)
            .run("p", options: options)
        let log = try #require(transport.requests.last)
        #expect(log.path == "/api/v1/namespaces/default/pods/p/log")
        #expect(log.query.map(\.0) == ["container", "previous", "tailLines"])
        #expect(log.queryValue("container") == "app")
        #expect(log.queryValue("tailLines") == "5")
        #expect(printed.err == "Defaulted container \"app\" out of: app, sidecar\n")
        // The fake answers with a JSON string; its text is what reaches standard output.
        #expect(printed.out == "\"line 1\\n\"")
    }

    @Test func missingPodIsWordedAsKubectlWordsIt() async throws {
        let transport = ManifestTestTransport { _ in ManifestTestReplies.notFound("pods", name: "nope") }
        let printed = ManifestTestOutput()
        do {
            try await LogsAction(session: KubeSession(transport: transport, namespace: "default"), output: printed.output)
                .run("nope", options: LogsOptions())
            Issue.record("a missing pod must fail")
        } catch {
            #expect(error.description == "error: error from server (NotFound): pods \"nope\" not found in namespace \"default\"")
        }
    }

    @Test func workloadsLogTheirBestPod() {
        let running: JSONValue = ["spec": ["nodeName": "n"], "status": ["phase": "Running"], "metadata": ["name": "r"]]
        let pending: JSONValue = ["spec": ["nodeName": "n"], "status": ["phase": "Pending"], "metadata": ["name": "p"]]
        let unassigned: JSONValue = ["status": ["phase": "Running"], "metadata": ["name": "u"]]
        let sorted = [unassigned, pending, running].sorted(by: LogsAction.betterForLogging)
        #expect(sorted.map { $0["metadata"]["name"] } == ["r", "p", "u"])
    }
}
