import Foundation
import NodeRuntime
import SkiffAPI

/// The pod's `status` as kubelet reports it: phase, the four conditions,
/// addresses, start time, QoS class and one status per container.
package struct PodStatusBuilder {
    package var pod: JSONValue
    package var nodeIP: String
    package var podIP: String?
    package var initContainers: [ContainerView]
    package var containers: [ContainerView]
    package var phase: String
    package var startTime: Date?
    package var qosClass: String
    /// Why the pod failed as a whole (e.g. DeadlineExceeded), if it did.
    package var reason: String? = nil
    package var message: String? = nil

    package func build(now: Date) -> JSONValue {
        let previous = pod["status"]
        let initialized = initContainers.allSatisfy(\.succeeded)
        let unready = containers.filter { !$0.ready }.map(\.name)
        let done = phase == "Succeeded" || phase == "Failed"
        var conditions: [JSONValue] = []
        conditions.append(condition("PodReadyToStartContainers", podIP != nil || hostNetwork ? "True" : "False", previous, now))
        if initialized || done {
            conditions.append(condition("Initialized", "True", previous, now, reason: done && !initContainers.isEmpty ? "PodCompleted" : nil))
        } else {
            let incomplete = initContainers.filter { !$0.succeeded }.map(\.name)
            conditions.append(condition(
                "Initialized", "False", previous, now, reason: "ContainersNotInitialized",
                message: "containers with incomplete status: [\(incomplete.joined(separator: " "))]"))
        }
        if done {
            conditions.append(condition("Ready", "False", previous, now, reason: "PodCompleted"))
            conditions.append(condition("ContainersReady", "False", previous, now, reason: "PodCompleted"))
        } else if unready.isEmpty {
            conditions.append(condition("Ready", "True", previous, now))
            conditions.append(condition("ContainersReady", "True", previous, now))
        } else {
            let message = "containers with unready status: [\(unready.joined(separator: " "))]"
            conditions.append(condition("Ready", "False", previous, now, reason: "ContainersNotReady", message: message))
            conditions.append(condition("ContainersReady", "False", previous, now, reason: "ContainersNotReady", message: message))
        }
        conditions.append(condition("PodScheduled", "True", previous, now))

        var status: JSONValue = [
            "phase": .string(phase), "conditions": .array(conditions), "qosClass": .string(qosClass),
            "hostIP": .string(nodeIP), "hostIPs": [["ip": .string(nodeIP)]],
        ]
        if let ip = hostNetwork ? nodeIP : podIP {
            status["podIP"] = .string(ip)
            status["podIPs"] = [["ip": .string(ip)]]
        }
        if let startTime { status["startTime"] = .string(RFC3339.format(startTime)) }
        if let reason { status["reason"] = .string(reason) }
        if let message { status["message"] = .string(message) }
        if !initContainers.isEmpty { status["initContainerStatuses"] = .array(initContainers.map(containerStatus)) }
        status["containerStatuses"] = .array(containers.map(containerStatus))
        return status
    }

    private var hostNetwork: Bool { pod["spec"]["hostNetwork"].boolValue == true }

    private func containerStatus(_ view: ContainerView) -> JSONValue {
        let spec = (view.isInit ? pod["spec"]["initContainers"] : pod["spec"]["containers"]).arrayValue?
            .first { $0["name"].stringValue == view.name }
        var status: JSONValue = [
            "name": .string(view.name), "ready": .bool(view.ready), "restartCount": .integer(Int64(view.restartCount)),
            "image": .string(view.current?.imageRef ?? ImageName.canonical(spec?["image"].stringValue ?? "")),
            "imageID": .string(view.current.map { Self.imageID($0) } ?? ""),
            "started": .bool(view.isRunning && view.started),
            "state": .emptyObject, "lastState": .emptyObject,
        ]
        if let current = view.current { status["containerID"] = .string("skiff://\(current.id)") }
        if let waiting = view.waiting, !view.isRunning {
            var state: JSONValue = ["reason": .string(waiting.reason)]
            if let message = waiting.message { state["message"] = .string(message) }
            status["state"] = ["waiting": state]
            if let last = view.current, last.state == .exited { status["lastState"] = Self.terminated(last) }
        } else if let current = view.current {
            switch current.state {
            case .running:
                status["state"] = ["running": ["startedAt": .string(RFC3339.format(current.startedAt ?? current.createdAt))]]
            case .exited:
                status["state"] = Self.terminated(current)
            case .created, .unknown:
                status["state"] = ["waiting": ["reason": "ContainerCreating"]]
            }
            if let previous = view.previous, previous.state == .exited {
                status["lastState"] = Self.terminated(previous)
            }
        } else {
            status["state"] = ["waiting": ["reason": "ContainerCreating"]]
        }
        return status
    }

    static func imageID(_ record: ContainerRecord) -> String {
        let name = record.imageRef.split(separator: ":").dropLast().joined(separator: ":")
        return name.isEmpty ? record.imageID : "\(name)@\(record.imageID)"
    }

    static func terminated(_ record: ContainerRecord) -> JSONValue {
        var terminated: JSONValue = [
            "exitCode": .integer(Int64(record.exitCode ?? 0)), "reason": .string(record.reason ?? "Error"),
            "startedAt": .string(RFC3339.format(record.startedAt ?? record.createdAt)),
            "finishedAt": .string(RFC3339.format(record.finishedAt ?? record.createdAt)),
            "containerID": .string("skiff://\(record.id)"),
        ]
        if let message = record.message { terminated["message"] = .string(message) }
        return ["terminated": terminated]
    }

    /// A condition that keeps its lastTransitionTime while its status stays the same.
    private func condition(
        _ type: String, _ value: String, _ previous: JSONValue, _ now: Date, reason: String? = nil,
        message: String? = nil
    ) -> JSONValue {
        let before = previous["conditions"].arrayValue?.first { $0["type"].stringValue == type }
        let transition: JSONValue = before?["status"].stringValue == value
            ? (before?["lastTransitionTime"] ?? .string(RFC3339.format(now))) : .string(RFC3339.format(now))
        var result: JSONValue = [
            "type": .string(type), "status": .string(value), "lastProbeTime": .null, "lastTransitionTime": transition,
        ]
        if let reason { result["reason"] = .string(reason) }
        if let message { result["message"] = .string(message) }
        return result
    }
}

/// Image names as the runtime reports them (`docker.io/library/nginx:latest`).
package enum ImageName {
    package static func canonical(_ reference: String) -> String {
        guard !reference.isEmpty else { return reference }
        var name = reference
        let first = name.split(separator: "/").first.map(String.init) ?? ""
        if !name.contains("/") {
            name = "docker.io/library/" + name
        } else if !(first.contains(".") || first.contains(":") || first == "localhost") {
            name = "docker.io/" + name
        }
        let lastComponent = name.split(separator: "/").last ?? ""
        if !lastComponent.contains(":") && !name.contains("@") { name += ":latest" }
        return name
    }
}
