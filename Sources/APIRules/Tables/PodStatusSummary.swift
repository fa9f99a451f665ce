import Foundation
import SkiffAPI

/// The READY, STATUS and RESTARTS cells of a pod, worked out as Kubernetes 1.32's `printPod` does.
///
/// STATUS is not simply `status.phase`: a waiting or terminated container's reason wins
/// (`CrashLoopBackOff`, `ContainerCreating`, `Completed`, `ExitCode:1`), init containers
/// report `Init:0/1` or `Init:Error`, and a pod being deleted reads `Terminating`.
struct PodStatusSummary {
    var readyContainers = 0
    var totalContainers = 0
    var reason = ""
    /// Summed with wrapping, as Go's `int` does, so absurd status counts cannot trap.
    var restarts: Int64 = 0
    var lastRestart: Date?

    init(_ pod: JSONValue) {
        let spec = pod["spec"]
        let status = pod["status"]
        let phase = status["phase"].tableString
        reason = status["reason"].tableString.isEmpty ? phase : status["reason"].tableString

        for condition in status["conditions"].tableList
        where condition["type"].tableString == "PodScheduled" && condition["reason"].tableString == "SchedulingGated" {
            reason = "SchedulingGated"
        }

        let initContainers = spec["initContainers"].tableList
        var restartableInitNames: Set<String> = []
        for container in initContainers where container["restartPolicy"].tableString == "Always" {
            restartableInitNames.insert(container["name"].tableString)
        }
        totalContainers = spec["containers"].tableList.count + restartableInitNames.count

        let initialization = summarizeInitContainers(
            status["initContainerStatuses"].tableList, initContainerCount: initContainers.count,
            restartable: restartableInitNames)

        if !initialization.stillInitializing || Self.isInitialized(status) {
            restarts = initialization.restartableRestarts
            lastRestart = initialization.restartableLastRestart
            summarizeContainers(status)
        }

        let deleting = pod["metadata"]["deletionTimestamp"].tableIsSet
        if deleting && status["reason"].tableString == "NodeLost" {
            reason = "Unknown"
        } else if deleting && phase != "Failed" && phase != "Succeeded" {
            reason = "Terminating"
        }
    }

    /// `2/3`
    var ready: String { "\(readyContainers)/\(totalContainers)" }

    /// `0`, or `4 (2m ago)` once a container has restarted and its last exit time is known.
    func restartsCell(now: Date) -> String {
        guard restarts != 0, let lastRestart else { return "\(restarts)" }
        return "\(restarts) (\(HumanDuration.string(now.timeIntervalSince(lastRestart))) ago)"
    }

    /// Walks init container statuses in order until one has not finished; returns whether the
    /// pod is still initializing, plus the restarts of sidecar (restartable) init containers,
    /// which keep counting once the pod runs.
    private mutating func summarizeInitContainers(
        _ statuses: [JSONValue], initContainerCount: Int, restartable: Set<String>
    ) -> (stillInitializing: Bool, restartableRestarts: Int64, restartableLastRestart: Date?) {
        var restartableRestarts: Int64 = 0
        var restartableLastRestart: Date?
        for (index, container) in statuses.enumerated() {
            let isRestartable = restartable.contains(container["name"].tableString)
            let count = container["restartCount"].tableInt
            let finished = Self.lastTermination(container)
            restarts &+= count
            lastRestart = Self.later(lastRestart, finished)
            if isRestartable {
                restartableRestarts &+= count
                restartableLastRestart = Self.later(restartableLastRestart, finished)
            }

            let state = container["state"]
            let terminated = state["terminated"]
            let waiting = state["waiting"]
            if terminated.tableIsSet && terminated["exitCode"].tableInt == 0 {
                continue
            }
            if isRestartable && container["started"].tableBool {
                if container["ready"].tableBool { readyContainers += 1 }
                continue
            }
            if terminated.tableIsSet {
                let terminatedReason = terminated["reason"].tableString
                if !terminatedReason.isEmpty {
                    reason = "Init:" + terminatedReason
                } else if terminated["signal"].tableInt != 0 {
                    reason = "Init:Signal:\(terminated["signal"].tableInt)"
                } else {
                    reason = "Init:ExitCode:\(terminated["exitCode"].tableInt)"
                }
            } else if waiting.tableIsSet && !waiting["reason"].tableString.isEmpty
                && waiting["reason"].tableString != "PodInitializing"
            {
                reason = "Init:" + waiting["reason"].tableString
            } else {
                reason = "Init:\(index)/\(initContainerCount)"
            }
            return (true, restartableRestarts, restartableLastRestart)
        }
        return (false, restartableRestarts, restartableLastRestart)
    }

    /// Regular containers, last to first, so the first container's state has the final word.
    private mutating func summarizeContainers(_ status: JSONValue) {
        var hasRunning = false
        for container in status["containerStatuses"].tableList.reversed() {
            restarts &+= container["restartCount"].tableInt
            lastRestart = Self.later(lastRestart, Self.lastTermination(container))
            let waiting = container["state"]["waiting"]
            let terminated = container["state"]["terminated"]
            if waiting.tableIsSet && !waiting["reason"].tableString.isEmpty {
                reason = waiting["reason"].tableString
            } else if terminated.tableIsSet && !terminated["reason"].tableString.isEmpty {
                reason = terminated["reason"].tableString
            } else if terminated.tableIsSet {
                reason =
                    terminated["signal"].tableInt != 0
                    ? "Signal:\(terminated["signal"].tableInt)" : "ExitCode:\(terminated["exitCode"].tableInt)"
            } else if container["ready"].tableBool && container["state"]["running"].tableIsSet {
                hasRunning = true
                readyContainers += 1
            }
        }
        // A sidecar or second container still running keeps a "Completed" pod Running.
        if reason == "Completed" && hasRunning {
            reason = Self.hasReadyCondition(status) ? "Running" : "NotReady"
        }
    }

    /// `isPodInitializedConditionTrue`: the first `Initialized` condition is `True`.
    private static func isInitialized(_ status: JSONValue) -> Bool {
        status["conditions"].tableList.first { $0["type"].tableString == "Initialized" }?["status"].tableString
            == "True"
    }

    /// `hasPodReadyCondition`: any `Ready` condition is `True`.
    private static func hasReadyCondition(_ status: JSONValue) -> Bool {
        status["conditions"].tableList.contains {
            $0["type"].tableString == "Ready" && $0["status"].tableString == "True"
        }
    }

    private static func lastTermination(_ container: JSONValue) -> Date? {
        container["lastState"]["terminated"]["finishedAt"].stringValue.flatMap(RFC3339.date)
    }

    private static func later(_ current: Date?, _ candidate: Date?) -> Date? {
        guard let candidate else { return current }
        guard let current else { return candidate }
        return max(current, candidate)
    }
}
