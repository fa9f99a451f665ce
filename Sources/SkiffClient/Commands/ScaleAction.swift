import SkiffAPI

/// `scale TYPE/NAME --replicas=N`: `GET <object>` (so a missing object is reported as
/// kubectl reports it), then `PATCH <object>/scale` with `application/merge-patch+json`
/// `{"spec":{"replicas":N}}`; prints `deployment.apps/notepad scaled`.
public struct ScaleAction: Sendable {
    public var session: KubeSession
    public var output: CtlOutput

    public init(session: KubeSession, output: CtlOutput) {
        self.session = session
        self.output = output
    }

    /// `currentReplicas` is kubectl's `--current-replicas` precondition.
    public func run(_ arguments: ResourceArguments, replicas: Int, currentReplicas: Int? = nil) async throws(CtlError) -> Bool {
        guard replicas >= 0 else { throw .message("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0") }
        var failures: [CtlError] = []
        for selection in arguments.selections {
            guard selection.kind.subresource("scale") != nil else {
                failures.append(.message("cannot scale \(selection.kind.displayKind): the resource has no scale subresource"))
                continue
            }
            for name in selection.names {
                do {
                    try await scale(selection.kind, name: name, replicas: replicas, currentReplicas: currentReplicas)
                } catch {
                    if case .connection = error { throw error }
                    failures.append(error)
                }
            }
        }
        for failure in failures { output.err(failure.description + "\n") }
        return failures.isEmpty
    }

    private func scale(_ kind: ResourceKind, name: String, replicas: Int, currentReplicas: Int?) async throws(CtlError) {
        let namespace = session.namespace(for: kind)
        let live = try await session.get(kind, name: name, namespace: namespace)
        if let currentReplicas {
            let actual = live["spec"]["replicas"].int64Value ?? 1
            guard actual == Int64(currentReplicas) else {
                throw .message(
                    "Expected replicas to be \(currentReplicas), was \(actual)")
            }
        }
        _ = try await session.request(
            "PATCH", kind.path(namespace: namespace, name: name, subresource: "scale"),
            body: ["spec": ["replicas": .integer(Int64(replicas))]], contentType: "application/merge-patch+json")
        output.out("\(kind.displayKind)/\(name) scaled\n")
    }
}
