import SkiffAPI

/// `PodExecOptions` from the query of `…/pods/NAME/exec`
/// (`command=ls&command=/&container=c&stdin=true&stdout=true&stderr=true&tty=true`).
struct PodExecQuery: Sendable, Equatable {
    var command: [String]
    var container: String?
    var stdin: Bool
    var stdout: Bool
    var stderr: Bool
    var tty: Bool

    init(_ query: [(String, String)]) {
        let values = QueryValues(query)
        command = values.all("command")
        container = values["container"]
        stdin = values.flag("stdin")
        stdout = values.flag("stdout")
        tty = values.flag("tty")
        // With a tty both output streams are the terminal; the kubelet drops stderr.
        stderr = values.flag("stderr") && !tty
    }

    /// The kubelet's checks before it accepts the stream (its wording; kubectl's own
    /// for the missing command, which the kubelet leaves to the runtime).
    func validate() throws(APIStatus) {
        guard stdin || stdout || stderr else {
            throw APIStatus.badRequest("you must specify at least 1 of stdin, stdout, stderr")
        }
        guard !command.isEmpty else {
            throw APIStatus.badRequest("you must specify at least one command for the container")
        }
    }
}

/// An exec request that passed every check made before the websocket upgrade,
/// with the node that will run it.
struct PodExecPlan: Sendable {
    let request: PodExecRequest
    let node: any PodStreaming
}

extension ResourceHandler {
    /// What kube-apiserver checks before it proxies an exec to the kubelet, in its
    /// order: the pod exists, the container is valid, the pod has a node; then what
    /// the kubelet checks. Used both before upgrading and for plain requests.
    func execPlan(_ query: [(String, String)], namespace: String, name: String) async throws(APIStatus)
        -> PodExecPlan
    {
        guard let pods = registry.resource(group: "", version: "v1", plural: "pods") else {
            throw APIStatus(code: 404, reason: .notFound, message: "the server could not find the requested resource")
        }
        let options = PodExecQuery(query)
        let pod = try await store.require(pods, namespace: namespace, name: name)
        let target = try PodStreamingTarget(pod: pod, container: options.container)
        guard !target.nodeName.isEmpty else {
            throw APIStatus.badRequest("pod \(name) does not have a host assigned")
        }
        guard let podStreaming else { throw PodStreamingTarget.noNodeAgent(pod: name, node: target.nodeName) }
        try options.validate()
        let request = PodExecRequest(
            namespace: namespace, pod: target.pod, podUID: target.podUID, container: target.container,
            command: options.command, stdin: options.stdin, stdout: options.stdout, stderr: options.stderr,
            tty: options.tty)
        return PodExecPlan(request: request, node: podStreaming)
    }

    /// `pods/exec` without a websocket upgrade (kubectl's SPDY fallback, curl): the
    /// same errors as before an upgrade, else kube-apiserver's refusal.
    func execWithoutUpgrade(_ request: APIRequest, _ scope: Scope, name: String) async throws(APIStatus) -> APIReply {
        _ = try await execPlan(request.query, namespace: scope.namespace ?? "", name: name)
        throw APIStatus.badRequest("Upgrade request required")
    }
}
