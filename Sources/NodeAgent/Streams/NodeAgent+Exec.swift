import NodeRuntime

extension NodeAgent {
    /// Starts `command` in a running container of the pod (`kubectl exec`).
    package func exec(
        namespace: String, pod: String, uid: String?, container: String, command: [String], stdin: Bool, tty: Bool
    ) async throws -> AgentExecSession {
        guard let worker = worker(namespace: namespace, name: pod, uid: uid) else {
            throw PodStreamError.notFound("pod \"\(pod)\" is not running on node \"\(config.nodeName)\"")
        }
        let record = try await worker.logTarget(container: container, previous: false)
        guard record.state == .running else {
            throw PodStreamError.badRequest("container \(container) is not running")
        }
        guard !command.isEmpty else { throw PodStreamError.badRequest("you must specify at least 1 command") }
        do {
            let session = try await runtimeService.exec(record.id, command: command, terminal: tty, stdin: stdin || tty)
            return AgentExecSession(session)
        } catch {
            throw PodStreamError.badRequest("failed to exec in container: \(error)")
        }
    }
}
