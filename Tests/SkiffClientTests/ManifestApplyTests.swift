import SkiffAPI
import Testing

@testable import SkiffClient

/// Client-side apply: the annotation kubectl writes, the create/patch/unchanged decision,
/// and the requests and messages of `apply -f` and `create -f`.
@Suite struct ManifestApplyTests {
    static let file: JSONValue = [
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "notepad"],
        "spec": [
            "replicas": 3, "selector": ["matchLabels": ["app": "mytest"]],
            "template": [
                "metadata": ["labels": ["app": "mytest"]],
                "spec": ["containers": [["name": "notepad", "image": "mengsixing/notepad", "ports": [["containerPort": 8083]]]]],
            ],
        ],
    ]

    static var deploymentKind: ResourceKind {
        ResourceRegistry.builtin.resource(named: "deployments") ?? ResourceRegistry.builtin.resources[0]
    }

    /// The object as the server would hold it after applying `object`: the annotation kept,
    /// plus server-set fields and defaults the file never mentioned.
    static func live(after object: JSONValue) -> JSONValue {
        var live = ApplyPlan.modified(object)
        live[path: ["metadata", "uid"]] = "u-1"
        live[path: ["metadata", "resourceVersion"]] = "42"
        live[path: ["metadata", "generation"]] = 1
        live[path: ["spec", "strategy"]] = ["type": "RollingUpdate"]
        live[path: ["spec", "template", "spec", "containers"]] = [[
            "name": "notepad", "image": "mengsixing/notepad", "ports": [["containerPort": 8083, "protocol": "TCP"]],
            "imagePullPolicy": "Always",
        ]]
        live["status"] = ["replicas": 3]
        return live
    }

    @Test func annotationIsTheFileAsCompactJSON() {
        let placed = ApplyPlan.placed(Self.file, kind: Self.deploymentKind, namespace: "default")
        let annotation = ApplyPlan.lastAppliedConfiguration(of: placed)
        #expect(
            annotation
                == #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"name":"notepad","namespace":"default"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"mytest"}},"template":{"metadata":{"labels":{"app":"mytest"}},"spec":{"containers":[{"image":"mengsixing/notepad","name":"notepad","ports":[{"containerPort":8083}]}]}}}}"#
                + "\n")
        let modified = ApplyPlan.modified(placed)
        #expect(modified["metadata"]["annotations"][ApplyPlan.lastAppliedAnnotation] == .string(annotation))
    }

    @Test func decisions() throws {
        #expect(try ApplyPlan.decide(file: Self.file, live: nil) == .create(ApplyPlan.modified(Self.file)))
        #expect(try ApplyPlan.decide(file: Self.file, live: Self.live(after: Self.file)) == .unchanged)

        var scaled = Self.file
        scaled[path: ["spec", "replicas"]] = 4
        let patch = try ApplyPlan.decide(file: scaled, live: Self.live(after: Self.file))
        let annotation = JSONValue.string(ApplyPlan.lastAppliedConfiguration(of: scaled))
        #expect(patch == .patch(["metadata": ["annotations": .object([ApplyPlan.lastAppliedAnnotation: annotation])], "spec": ["replicas": 4]]))
    }

    @Test func removingAFieldFromTheFileDeletesIt() throws {
        var labelled = Self.file
        labelled[path: ["metadata", "labels"]] = ["tier": "web"]
        var unlabelled = Self.file
        unlabelled[path: ["metadata", "labels"]] = .null
        guard case .patch(let patch) = try ApplyPlan.decide(file: unlabelled, live: Self.live(after: labelled)) else {
            Issue.record("expected a patch")
            return
        }
        #expect(patch["metadata"]["labels"] == .null, "labels removed from the file are deleted")
        #expect(patch["metadata"].objectValue?.keys.contains("labels") == true)
    }

    @Test func applyCreatesWhenMissing() async throws {
        let transport = ManifestTestTransport { request in
            if request.method == "GET" { return ManifestTestReplies.notFound("deployments", group: "apps", name: "notepad") }
            return (201, request.body ?? .null)
        }
        let printed = ManifestTestOutput()
        let session = KubeSession(transport: transport, namespace: "default")
        let document = ManifestDocument(object: Self.file, source: "deployment.yaml", line: 2)
        let ok = try await ManifestApplier(session: session, output: printed.output).apply([document])
        #expect(ok)
        #expect(printed.out == "deployment.apps/notepad created\n")
        let requests = transport.requests
        #expect(requests.map(\.method) == ["GET", "POST"])
        #expect(requests[0].path == "/apis/apps/v1/namespaces/default/deployments/notepad")
        #expect(requests[1].path == "/apis/apps/v1/namespaces/default/deployments")
        #expect(requests[1].queryValue("fieldManager") == "kubectl-client-side-apply")
        #expect(requests[1].queryValue("fieldValidation") == "Strict")
        #expect(requests[1].body?["metadata"]["namespace"] == "default")
        #expect(requests[1].body?["metadata"]["annotations"][ApplyPlan.lastAppliedAnnotation].stringValue?.hasSuffix("}\n") == true)
    }

    @Test func applyPatchesOrLeavesAlone() async throws {
        let live = Self.live(after: ApplyPlan.placed(Self.file, kind: Self.deploymentKind, namespace: "default"))
        let transport = ManifestTestTransport { request in (200, live) }
        let printed = ManifestTestOutput()
        let session = KubeSession(transport: transport, namespace: "default")
        var scaled = Self.file
        scaled[path: ["spec", "replicas"]] = 4
        let documents = [
            ManifestDocument(object: Self.file, source: "deployment.yaml", line: 2),
            ManifestDocument(object: scaled, source: "scaled.yaml", line: 2),
        ]
        #expect(try await ManifestApplier(session: session, output: printed.output).apply(documents))
        #expect(printed.out == "deployment.apps/notepad unchanged\ndeployment.apps/notepad configured\n")
        let patch = try #require(transport.requests.last)
        #expect(patch.method == "PATCH")
        #expect(patch.contentType == "application/strategic-merge-patch+json")
        #expect(patch.body?["spec"] == ["replicas": 4])
    }

    @Test func serverRefusalsAreReportedPerObjectAfterTheOthers() async throws {
        let transport = ManifestTestTransport { request in
            if request.method == "GET" { return ManifestTestReplies.notFound("pods", name: request.path.split(separator: "/").last.map(String.init) ?? "") }
            if request.body?["metadata"]["name"] == "bad" {
                return ManifestTestReplies.status(
                    APIStatus.invalid(
                        GroupKind(group: "", kind: "Pod"), name: "bad",
                        errors: [FieldError.invalid("spec.containers[0].volumeMounts[0].mountPath", "etc/foo", "must be an absolute path")]))
            }
            return (201, request.body ?? .null)
        }
        let printed = ManifestTestOutput()
        let session = KubeSession(transport: transport, namespace: "default")
        func pod(_ name: String) -> JSONValue { ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)]] }
        let ok = try await ManifestApplier(session: session, output: printed.output).apply([
            ManifestDocument(object: pod("bad"), source: "mypod.yaml", line: 1),
            ManifestDocument(object: pod("good"), source: "mypod.yaml", line: 9),
        ])
        #expect(!ok)
        #expect(printed.out == "pod/good created\n")
        #expect(
            printed.err
                == "Error from server (Invalid): error when creating \"mypod.yaml\": Pod \"bad\" is invalid: spec.containers[0].volumeMounts[0].mountPath: Invalid value: \"etc/foo\": must be an absolute path\n")
    }

    @Test func createReportsAlreadyExists() async throws {
        let transport = ManifestTestTransport { _ in
            ManifestTestReplies.status(APIStatus.alreadyExists(GroupResource(group: "apps", resource: "deployments"), name: "notepad"))
        }
        let printed = ManifestTestOutput()
        let session = KubeSession(transport: transport, namespace: "default")
        let ok = try await ManifestApplier(session: session, output: printed.output)
            .create([ManifestDocument(object: Self.file, source: "deployment.yaml", line: 2)])
        #expect(!ok)
        #expect(transport.requests.first?.queryValue("fieldManager") == "kubectl-create")
        #expect(
            printed.err
                == "Error from server (AlreadyExists): error when creating \"deployment.yaml\": deployments.apps \"notepad\" already exists\n")
    }

    @Test func explicitNamespaceMustMatchTheManifest() async throws {
        let transport = ManifestTestTransport { _ in (500, .null) }
        let printed = ManifestTestOutput()
        let session = KubeSession(transport: transport, namespace: "prod", namespaceIsExplicit: true)
        var object = Self.file
        object[path: ["metadata", "namespace"]] = "dev"
        let ok = try await ManifestApplier(session: session, output: printed.output)
            .apply([ManifestDocument(object: object, source: "d.yaml", line: 1)])
        #expect(!ok)
        #expect(transport.requests.isEmpty)
        #expect(
            printed.err
                == "error: the namespace from the provided object \"dev\" does not match the namespace \"prod\". You must pass '--namespace=dev' to perform this operation.\n")
    }
}
