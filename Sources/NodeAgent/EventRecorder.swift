import Foundation
import Logging
import SkiffAPI

/// Writes core/v1 Events about pods as kubelet does (`source.component:
/// kubelet`), folding repeats of the same reason and message into one Event
/// whose `count` grows, so a crash loop is one line in `kubectl describe`.
package actor EventRecorder {
    private struct Key: Hashable {
        var namespace: String
        var uid: String
        var reason: String
        var message: String
        var fieldPath: String?
    }

    private let api: AgentAPI
    private let nodeName: String
    private let log: Logger
    private var seen: [Key: (name: String, count: Int64)] = [:]

    package init(api: AgentAPI, nodeName: String, logger: Logger) {
        self.api = api
        self.nodeName = nodeName
        self.log = logger
    }

    /// Records without waiting: events are advisory and must never hold up a pod.
    package nonisolated func post(
        _ pod: JSONValue, type: String = "Normal", reason: String, message: String, fieldPath: String? = nil
    ) {
        Task { await self.record(pod, type: type, reason: reason, message: message, fieldPath: fieldPath) }
    }

    package func record(_ pod: JSONValue, type: String, reason: String, message: String, fieldPath: String?) async {
        let meta = pod.metadata
        guard let namespace = meta.namespace, let name = meta.name, let uid = meta.uid else { return }
        let key = Key(namespace: namespace, uid: uid, reason: reason, message: message, fieldPath: fieldPath)
        let now = RFC3339.format(Date())
        if let existing = seen[key] {
            let count = existing.count + 1
            seen[key] = (existing.name, count)
            do {
                try await api.mergePatch(
                    "\(AgentPath.events(namespace))/\(existing.name)",
                    ["count": .integer(count), "lastTimestamp": .string(now)])
                return
            } catch {
                seen[key] = nil
            }
        }
        if seen.count > 10_000 { seen.removeAll() }
        let eventName = "\(name).\(String(UInt64(Date().timeIntervalSince1970 * 1e9), radix: 16))"
        var involved: JSONValue = [
            "kind": "Pod", "namespace": .string(namespace), "name": .string(name), "uid": .string(uid),
            "apiVersion": "v1",
        ]
        if let version = meta.resourceVersion { involved["resourceVersion"] = .string(version) }
        if let fieldPath { involved["fieldPath"] = .string(fieldPath) }
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(eventName), "namespace": .string(namespace)],
            "involvedObject": involved, "reason": .string(reason), "message": .string(message),
            "source": ["component": "kubelet", "host": .string(nodeName)],
            "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": 1, "type": .string(type),
            "eventTime": .null, "reportingComponent": "kubelet", "reportingInstance": .string(nodeName),
        ]
        do {
            try await api.create(AgentPath.events(namespace), event)
            seen[key] = (eventName, 1)
        } catch {
            log.debug("event not recorded", metadata: ["reason": "\(reason)", "error": "\(error)"])
        }
    }

    /// Forgets a pod's events (it is gone; its events expire on their own).
    package func forget(uid: String) {
        seen = seen.filter { $0.key.uid != uid }
    }
}
