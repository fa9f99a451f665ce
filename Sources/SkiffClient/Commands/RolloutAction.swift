import Foundation
import SkiffAPI

/// `rollout status|history|undo|restart` against the API server.
///
/// - status: `GET <deployment>`; unless done, `GET <collection>?fieldSelector=metadata.name=NAME&resourceVersion=RV&watch=true`
///   and re-evaluate on every event, printing each new `Waiting for …` line.
/// - history: `GET <deployment>`, `GET /apis/apps/v1/namespaces/NS/replicasets?labelSelector=<selector>`.
/// - undo: the same two GETs, then `PATCH <deployment>` with `application/json-patch+json`.
/// - restart: `PATCH <deployment>?fieldManager=kubectl-rollout` (strategic merge) setting the
///   template annotation `kubectl.kubernetes.io/restartedAt`.
public struct RolloutAction: Sendable {
    public var session: KubeSession
    public var output: CtlOutput

    public init(session: KubeSession, output: CtlOutput) {
        self.session = session
        self.output = output
    }

    /// Waits for the rollout to finish; `watch: false` prints the current state once.
    public func status(_ kind: ResourceKind, name: String, watch: Bool = true, timeout: Duration? = nil) async throws(CtlError) {
        let namespace = session.namespace(for: kind)
        let object = try await session.get(kind, name: name, namespace: namespace)
        let initial = try RolloutStatus.observe(object, kind: kind)
        output.out(initial.message)
        if initial.done || !watch { return }
        let initialVersion = object["metadata"]["resourceVersion"].stringValue ?? ""
        let session = self.session
        let output = self.output
        let watchBody: @Sendable () async throws(CtlError) -> Void = {
            var current = initial
            var resourceVersion = initialVersion
            while true {
                try await session.watch(
                    kind.path(namespace: namespace),
                    query: [("fieldSelector", "metadata.name=\(name)"), ("resourceVersion", resourceVersion)]
                ) { event throws(CtlError) in
                    if event.type == "DELETED" { throw .message("object has been deleted") }
                    let observation = try RolloutStatus.observe(event.object, kind: kind)
                    if observation != current { output.out(observation.message) }
                    current = observation
                    return !observation.done
                }
                if current.done { return }
                // The server ended the watch (its timeout): look again and watch on, as kubectl does.
                let object = try await session.get(kind, name: name, namespace: namespace)
                let observation = try RolloutStatus.observe(object, kind: kind)
                if observation != current { output.out(observation.message) }
                current = observation
                if current.done { return }
                resourceVersion = object["metadata"]["resourceVersion"].stringValue ?? ""
            }
        }
        guard let timeout else { return try await watchBody() }
        try await Self.withTimeout(timeout, watchBody)
    }

    /// Runs `body`, failing with kubectl's message when `timeout` passes first.
    static func withTimeout(_ timeout: Duration, _ body: @escaping @Sendable () async throws(CtlError) -> Void) async throws(CtlError) {
        let result: Result<Void, CtlError>? = await withTaskGroup(of: Result<Void, CtlError>?.self) { group in
            group.addTask {
                do throws(CtlError) {
                    try await body()
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        switch result {
        case .success: return
        case .failure(let error): throw error
        case nil: throw .message("timed out waiting for the condition")
        }
    }

    /// The Deployment and the ReplicaSets its selector matches.
    private func deploymentAndReplicaSets(_ kind: ResourceKind, name: String) async throws(CtlError) -> (JSONValue, [JSONValue]) {
        guard kind.group == "apps", kind.kind == "Deployment" else {
            throw .message("no history viewer has been implemented for \(kind.kind)")
        }
        let namespace = session.namespace(for: kind)
        let deployment = try await session.get(kind, name: name, namespace: namespace)
        guard let replicaSetKind = session.registry.resource(for: GroupVersionKind(group: "apps", version: "v1", kind: "ReplicaSet"))
        else { throw .message("the server doesn't have a resource type \"replicasets\"") }
        let selector = SelectorText.format(deployment["spec"]["selector"])
        let replicaSets = try await session.list(replicaSetKind, namespace: namespace, labelSelector: selector).items
        return (deployment, replicaSets)
    }

    /// `rollout history`: the revision table, or one revision's pod template.
    public func history(_ kind: ResourceKind, name: String, revision: Int64 = 0) async throws(CtlError) {
        let (deployment, replicaSets) = try await deploymentAndReplicaSets(kind, name: name)
        let heading = "\(kind.displayKind)/\(name)"
        if revision > 0 {
            let replicaSet = try RolloutHistory.replicaSet(revision: revision, of: deployment, in: replicaSets)
            var template = replicaSet["spec"]["template"]
            if let cause = replicaSet["metadata"]["annotations"][RolloutHistory.changeCauseAnnotation].stringValue {
                template[path: ["metadata", "annotations", RolloutHistory.changeCauseAnnotation]] = .string(cause)
            }
            output.out("\(heading) with revision #\(revision)\n\(PodTemplateDescriber.describe(template))\n")
            return
        }
        output.out("\(heading) \n\(RolloutHistory.table(of: deployment, replicaSets: replicaSets))\n")
    }

    /// `rollout undo [--to-revision=N]`.
    public func undo(_ kind: ResourceKind, name: String, toRevision: Int64 = 0) async throws(CtlError) {
        let (deployment, replicaSets) = try await deploymentAndReplicaSets(kind, name: name)
        let replicaSet = try RolloutUndo.target(of: deployment, replicaSets: replicaSets, toRevision: toRevision)
        switch try RolloutUndo.outcome(deployment: deployment, replicaSet: replicaSet, toRevision: toRevision) {
        case .skipped(let message):
            output.out("\(kind.displayKind)/\(name) \(message)\n")
        case .patch(let patch):
            do {
                _ = try await session.request(
                    "PATCH", kind.path(namespace: session.namespace(for: kind), name: name), body: patch,
                    contentType: "application/json-patch+json")
            } catch {
                guard case .server(let status, _) = error else { throw error }
                throw .message("failed restoring revision \(toRevision): \(status.message)")
            }
            output.out("\(kind.displayKind)/\(name) rolled back\n")
        }
    }

    /// `rollout restart`: a new template annotation makes the controller roll every pod.
    public func restart(_ kind: ResourceKind, name: String, now: Date = Date()) async throws(CtlError) {
        guard SetImagePatch.podSpecPath(kind: kind.kind) != nil, kind.kind != "Pod" else {
            throw .message("restarting is not supported for \(kind.displayKind)")
        }
        let formatter = ISO8601DateFormatter()
        var patch = JSONValue.emptyObject
        patch[path: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"]] =
            .string(formatter.string(from: now))
        _ = try await session.request(
            "PATCH", kind.path(namespace: session.namespace(for: kind), name: name),
            query: [("fieldManager", "kubectl-rollout")], body: patch, contentType: "application/strategic-merge-patch+json")
        output.out("\(kind.displayKind)/\(name) restarted\n")
    }
}
