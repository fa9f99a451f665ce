import Foundation
import SkiffAPI
import Testing

@testable import SkiffClient

/// `rollout status|history|undo`, `set image`, `scale`, `label` and `delete`: the lines they
/// print and the requests they send.
@Suite struct PrinterRolloutTests {
    static func deployment(generation: Int64, observed: Int64, replicas: Int64, updated: Int64, total: Int64, available: Int64) -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "notepad", "namespace": "default", "uid": "d-1", "generation": .integer(generation), "resourceVersion": "10"],
            "spec": ["replicas": .integer(replicas), "selector": ["matchLabels": ["app": "mytest"]]],
            "status": [
                "observedGeneration": .integer(observed), "replicas": .integer(total), "updatedReplicas": .integer(updated),
                "availableReplicas": .integer(available),
            ],
        ]
    }

    @Test func statusMessagesFollowKubectlsRule() throws {
        typealias D = PrinterRolloutTests
        #expect(
            try RolloutStatus.deployment(D.deployment(generation: 2, observed: 1, replicas: 3, updated: 3, total: 3, available: 3))
                .message == "Waiting for deployment spec update to be observed...\n")
        #expect(
            try RolloutStatus.deployment(D.deployment(generation: 2, observed: 2, replicas: 3, updated: 1, total: 3, available: 3))
                .message == "Waiting for deployment \"notepad\" rollout to finish: 1 out of 3 new replicas have been updated...\n")
        #expect(
            try RolloutStatus.deployment(D.deployment(generation: 2, observed: 2, replicas: 3, updated: 3, total: 4, available: 3))
                .message == "Waiting for deployment \"notepad\" rollout to finish: 1 old replicas are pending termination...\n")
        #expect(
            try RolloutStatus.deployment(D.deployment(generation: 2, observed: 2, replicas: 3, updated: 3, total: 3, available: 2))
                .message == "Waiting for deployment \"notepad\" rollout to finish: 2 of 3 updated replicas are available...\n")
        let done = try RolloutStatus.deployment(D.deployment(generation: 2, observed: 2, replicas: 3, updated: 3, total: 3, available: 3))
        #expect(done == RolloutStatus.Observation(message: "deployment \"notepad\" successfully rolled out\n", done: true))
        var stuck = D.deployment(generation: 1, observed: 1, replicas: 3, updated: 1, total: 3, available: 1)
        stuck[path: ["status", "conditions"]] = [["type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"]]
        #expect(throws: CtlError.self) { try RolloutStatus.deployment(stuck) }
    }

    @Test func statusWatchesUntilDone() async throws {
        let start = Self.deployment(generation: 2, observed: 2, replicas: 3, updated: 1, total: 3, available: 1)
        let events: [JSONValue] = [
            ["type": "MODIFIED", "object": Self.deployment(generation: 2, observed: 2, replicas: 3, updated: 2, total: 3, available: 1)],
            ["type": "MODIFIED", "object": Self.deployment(generation: 2, observed: 2, replicas: 3, updated: 2, total: 3, available: 1)],
            ["type": "MODIFIED", "object": Self.deployment(generation: 2, observed: 2, replicas: 3, updated: 3, total: 3, available: 3)],
        ]
        let transport = ManifestTestTransport(watchEvents: events) { _ in (200, start) }
        let printed = ManifestTestOutput()
        let session = KubeSession(transport: transport, namespace: "default")
        let kind = try session.resource(named: "deploy")
        try await RolloutAction(session: session, output: printed.output).status(kind, name: "notepad")
        #expect(
            printed.out == """
                Waiting for deployment "notepad" rollout to finish: 1 out of 3 new replicas have been updated...
                Waiting for deployment "notepad" rollout to finish: 2 out of 3 new replicas have been updated...
                deployment "notepad" successfully rolled out

                """)
        let watch = try #require(transport.requests.last)
        #expect(watch.method == "WATCH")
        #expect(watch.path == "/apis/apps/v1/namespaces/default/deployments")
        #expect(watch.queryValue("fieldSelector") == "metadata.name=notepad")
        #expect(watch.queryValue("resourceVersion") == "10")
        #expect(watch.queryValue("watch") == "true")
    }

    static func replicaSet(_ name: String, revision: String?, image: String, owner: String = "d-1", cause: String? = nil) -> JSONValue {
        var annotations: [String: JSONValue] = [:]
        if let revision { annotations[RolloutHistory.revisionAnnotation] = .string(revision) }
        if let cause { annotations[RolloutHistory.changeCauseAnnotation] = .string(cause) }
        annotations["deployment.kubernetes.io/desired-replicas"] = "3"
        return [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": [
                "name": .string(name), "annotations": .object(annotations),
                "ownerReferences": [["apiVersion": "apps/v1", "kind": "Deployment", "name": "notepad", "uid": .string(owner), "controller": true]],
            ],
            "spec": [
                "replicas": 0,
                "template": [
                    "metadata": ["creationTimestamp": nil, "labels": ["app": "mytest", "pod-template-hash": .string(name)]],
                    "spec": ["containers": [["name": "notepad", "image": .string(image)]]],
                ],
            ],
        ]
    }

    @Test func historyTable() {
        let deployment = Self.deployment(generation: 1, observed: 1, replicas: 3, updated: 3, total: 3, available: 3)
        let sets = [
            Self.replicaSet("b", revision: "2", image: "v2", cause: "kubectl set image"),
            Self.replicaSet("a", revision: "1", image: "v1"),
            Self.replicaSet("x", revision: "9", image: "v9", owner: "someone-else"),
        ]
        #expect(RolloutHistory.table(of: deployment, replicaSets: sets) == "REVISION  CHANGE-CAUSE\n1         <none>\n2         kubectl set image\n")
        #expect(RolloutHistory.table(of: deployment, replicaSets: []) == "No rollout history found.")
    }

    @Test func undoPatchesTemplateAndAnnotations() throws {
        var deployment = Self.deployment(generation: 2, observed: 2, replicas: 3, updated: 3, total: 3, available: 3)
        deployment[path: ["metadata", "annotations"]] = [
            "deployment.kubernetes.io/revision": "2", "kubectl.kubernetes.io/last-applied-configuration": "{}\n", "note": "dropped",
        ]
        deployment[path: ["spec", "template"]] = [
            "metadata": ["labels": ["app": "mytest"]], "spec": ["containers": [["name": "notepad", "image": "v2"]]],
        ]
        let sets = [Self.replicaSet("a", revision: "1", image: "v1"), Self.replicaSet("b", revision: "2", image: "v2")]
        let target = try RolloutUndo.target(of: deployment, replicaSets: sets, toRevision: 0)
        #expect(target["metadata"]["name"] == "a")
        let outcome = try RolloutUndo.outcome(deployment: deployment, replicaSet: target, toRevision: 0)
        #expect(
            outcome
                == .patch([
                    [
                        "op": "replace", "path": "/spec/template",
                        "value": ["metadata": ["labels": ["app": "mytest"]], "spec": ["containers": [["name": "notepad", "image": "v1"]]]],
                    ],
                    [
                        "op": "replace", "path": "/metadata/annotations",
                        "value": [
                            "deployment.kubernetes.io/revision": "2", "kubectl.kubernetes.io/last-applied-configuration": "{}\n",
                        ],
                    ],
                ]))
        // Rolling back to the template already in place sends nothing.
        let current = try RolloutUndo.target(of: deployment, replicaSets: sets, toRevision: 2)
        #expect(
            try RolloutUndo.outcome(deployment: deployment, replicaSet: current, toRevision: 2)
                == .skipped("skipped rollback (current template already matches revision 2)"))
        #expect(throws: CtlError.self) { try RolloutUndo.target(of: deployment, replicaSets: sets, toRevision: 7) }
        #expect(throws: CtlError.self) { try RolloutUndo.target(of: deployment, replicaSets: [sets[1]], toRevision: 0) }
    }

    @Test func setImagePatchAsKubectlSendsIt() throws {
        let deployment: JSONValue = [
            "kind": "Deployment",
            "spec": ["template": ["spec": ["containers": [["name": "notepad", "image": "old"], ["name": "sidecar", "image": "s"]]]]],
        ]
        #expect(
            try SetImagePatch.patch(for: deployment, images: [("notepad", "mengsixing/notepad:new")])
                == [
                    "spec": [
                        "template": [
                            "spec": [
                                "$setElementOrder/containers": [["name": "notepad"], ["name": "sidecar"]],
                                "containers": [["image": "mengsixing/notepad:new", "name": "notepad"]],
                            ]
                        ]
                    ]
                ])
        #expect(try SetImagePatch.patch(for: deployment, images: [("notepad", "old")]) == nil, "no change, no patch")
        #expect(throws: SetImagePatch.Failure.unknownContainer("web")) {
            try SetImagePatch.patch(for: deployment, images: [("web", "x")])
        }
        let pod: JSONValue = ["kind": "Pod", "spec": ["containers": [["name": "c", "image": "a"]]]]
        #expect(try SetImagePatch.patch(for: pod, images: [("*", "b")])?["spec"]["containers"] == [["image": "b", "name": "c"]])
    }

    @Test func labelEdits() throws {
        let edit = try MetadataEdit(field: .labels, arguments: ["tier=web", "old-"])
        let object: JSONValue = ["metadata": ["labels": ["app": "mytest", "old": "x", "tier": "db"]]]
        #expect(throws: CtlError.self) { try edit.patch(for: object, overwrite: false) }
        #expect(try edit.patch(for: object, overwrite: true) == ["metadata": ["labels": ["tier": "web", "old": nil]]])
        #expect(try MetadataEdit(field: .labels, arguments: ["app=mytest"]).patch(for: object, overwrite: false) == nil)
        #expect(throws: CtlError.self) { try MetadataEdit(field: .labels, arguments: ["bad key=x"]) }
        #expect(throws: CtlError.self) { try MetadataEdit(field: .annotations, arguments: ["a=1", "a-"]) }
    }

    @Test func scaleSetImageLabelAndDeleteRequests() async throws {
        let deployment = Self.deployment(generation: 1, observed: 1, replicas: 3, updated: 3, total: 3, available: 3)
        var templated = deployment
        templated[path: ["spec", "template", "spec", "containers"]] = [["name": "notepad", "image": "v1"]]
        let withTemplate = templated
        let gone = ManifestTestReplies.notFound("deployments", group: "apps", name: "notepad")
        let state = DeletionState()
        let transport = ManifestTestTransport { request in
            if request.method == "DELETE" {
                state.delete()
                return (200, ["kind": "Status", "status": "Success", "details": ["uid": "d-1"]])
            }
            if request.method == "GET" && state.deleted { return gone }
            return (200, withTemplate)
        }
        let printed = ManifestTestOutput()
        let session = KubeSession(transport: transport, namespace: "default")
        let target = try ResourceArguments(["deploy/notepad"], registry: session.registry)
        #expect(try await ScaleAction(session: session, output: printed.output).run(target, replicas: 5))
        #expect(try await SetImageAction(session: session, output: printed.output).run(target, images: [("notepad", "v2")]))
        #expect(
            try await MetadataEditAction(session: session, output: printed.output)
                .run(target, edit: MetadataEdit(field: .labels, arguments: ["tier=web"]), overwrite: false))
        var options = DeleteOptions()
        options.pollInterval = .milliseconds(1)
        #expect(try await ResourceDeleter(session: session, options: options, output: printed.output).run(target))
        #expect(
            printed.out == """
                deployment.apps/notepad scaled
                deployment.apps/notepad image updated
                deployment.apps/notepad labeled
                deployment.apps "notepad" deleted

                """)
        let writes = transport.requests.filter { $0.method != "GET" }
        #expect(writes.map(\.method) == ["PATCH", "PATCH", "PATCH", "DELETE"])
        #expect(writes[0].path == "/apis/apps/v1/namespaces/default/deployments/notepad/scale")
        #expect(writes[0].contentType == "application/merge-patch+json")
        #expect(writes[0].body == ["spec": ["replicas": 5]])
        #expect(writes[1].queryValue("fieldManager") == "kubectl-set")
        #expect(writes[1].contentType == "application/strategic-merge-patch+json")
        #expect(writes[2].contentType == "application/merge-patch+json")
        #expect(writes[2].body == ["metadata": ["labels": ["tier": "web"]]])
        #expect(writes[3].body == ["propagationPolicy": "Background"])
        #expect(transport.requests.last?.method == "GET", "delete waits until GET says 404")
    }

    @Test func serverErrorsPrintAsKubectlPrintsThem() async throws {
        let transport = ManifestTestTransport { _ in ManifestTestReplies.notFound("deployments", group: "apps", name: "x") }
        let printed = ManifestTestOutput()
        let session = KubeSession(transport: transport, namespace: "default")
        let ok = try await ScaleAction(session: session, output: printed.output)
            .run(try ResourceArguments(["deployment", "x"], registry: session.registry), replicas: 1)
        #expect(!ok)
        #expect(printed.err == "Error from server (NotFound): deployments.apps \"x\" not found\n")
    }
}

/// Whether the scripted server has seen the DELETE yet.
final class DeletionState: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    var deleted: Bool { lock.withLock { done } }
    func delete() { lock.withLock { done = true } }
}
