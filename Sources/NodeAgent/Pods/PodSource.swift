import Foundation
import Logging
import SkiffAPI

/// The pods bound to this node, kept current by list-then-watch
/// (`fieldSelector=spec.nodeName=NODE`), as kubelet's pod config does: a
/// broken watch resumes from its last resourceVersion, an expired one (410)
/// relists, and each relist reports pods that vanished meanwhile as deleted.
package actor PodSource {
    package enum Change: Sendable {
        case upsert(JSONValue)
        case deleted(JSONValue)
        /// The first complete list: pods that exist now (re-adoption uses it).
        case synced([JSONValue])
    }

    private let api: AgentAPI
    private let nodeName: String
    private let log: Logger
    private var known: [String: JSONValue] = [:]
    private var task: Task<Void, Never>?

    package init(api: AgentAPI, nodeName: String, logger: Logger) {
        self.api = api
        self.nodeName = nodeName
        self.log = logger
    }

    package func start(_ handler: @escaping @Sendable (Change) async -> Void) {
        guard task == nil else { return }
        task = Task { await self.run(handler) }
    }

    package func stop() {
        task?.cancel()
        task = nil
    }

    private func run(_ handler: @escaping @Sendable (Change) async -> Void) async {
        let query = [("fieldSelector", "spec.nodeName=\(nodeName)")]
        var first = true
        while !Task.isCancelled {
            do {
                let list = try await api.list(AgentPath.allPods, query: query)
                var fresh: [String: JSONValue] = [:]
                for pod in list.items {
                    if let uid = pod.metadata.uid { fresh[uid] = pod }
                }
                for (uid, pod) in known where fresh[uid] == nil { await handler(.deleted(pod)) }
                known = fresh
                if first {
                    await handler(.synced(list.items))
                    first = false
                } else {
                    for pod in list.items { await handler(.upsert(pod)) }
                }
                var version = list.resourceVersion
                while !Task.isCancelled {
                    let events = try await api.watch(AgentPath.allPods, query: query, resourceVersion: version)
                    for try await event in events {
                        if let rv = event.object.metadata.resourceVersion { version = rv }
                        guard let uid = event.object.metadata.uid else { continue }
                        switch event.type {
                        case "ADDED", "MODIFIED":
                            known[uid] = event.object
                            await handler(.upsert(event.object))
                        case "DELETED":
                            known[uid] = nil
                            await handler(.deleted(event.object))
                        default:
                            continue
                        }
                    }
                }
            } catch let error as AgentAPIError where error.isGone {
                log.debug("pod watch expired; relisting")
            } catch {
                if Task.isCancelled { return }
                log.warning("pod watch failed; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
