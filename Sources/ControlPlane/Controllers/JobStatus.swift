import Foundation
import SkiffAPI

/// How a Job ends, with the conditions it gets: as in 1.32, an interim
/// condition (`SuccessCriteriaMet`, `FailureTarget`) as soon as the outcome is
/// known, and the terminal one (`Complete`, `Failed`) once no pod of it runs.
struct JobOutcome: Sendable, Equatable {
    let interim: String
    let terminal: String
    let reason: String
    let message: String

    static let completed = JobOutcome(
        interim: "SuccessCriteriaMet", terminal: "Complete", reason: "CompletionsReached",
        message: "Reached expected number of succeeded pods")
    static let backoffLimit = JobOutcome(
        interim: "FailureTarget", terminal: "Failed", reason: "BackoffLimitExceeded",
        message: "Job has reached the specified backoff limit")
    static let deadline = JobOutcome(
        interim: "FailureTarget", terminal: "Failed", reason: "DeadlineExceeded",
        message: "Job was active longer than specified deadline")
}

/// A Job's `status` as the controller computes it; fields it does not own
/// are kept as they are.
struct JobStatus {
    private var base: JSONValue
    var active = 0
    var ready = 0
    var terminating = 0
    var succeeded: Int
    var failed: Int
    var startTime: Date?
    var completionTime: Date?
    private(set) var conditions: [JSONValue]
    /// Indexed Jobs only: the indexes that succeeded.
    var completedIndexes: Set<Int>?
    private let completions: Int?

    init(_ job: JSONValue) {
        let status = job["status"]
        base = status.objectValue == nil ? .emptyObject : status
        active = Int(status["active"].int64Value ?? 0)
        ready = Int(status["ready"].int64Value ?? 0)
        terminating = Int(status["terminating"].int64Value ?? 0)
        succeeded = Int(status["succeeded"].int64Value ?? 0)
        failed = Int(status["failed"].int64Value ?? 0)
        startTime = status["startTime"].stringValue.flatMap(RFC3339.date)
        completionTime = status["completionTime"].stringValue.flatMap(RFC3339.date)
        conditions = status["conditions"].arrayValue ?? []
        completions = job["spec"]["completions"].int64Value.map { Int($0) }
        if job["spec"]["completionMode"].stringValue == "Indexed" {
            completedIndexes = JobIndexes.parse(status["completedIndexes"].stringValue)
        }
    }

    /// Counts from the pods present: the finished ones only ever raise the
    /// stored counts, so a pod removed after it was counted is not lost.
    mutating func count(pods: [JSONValue]) {
        let live = pods.filter(PodState.isActive)
        active = live.count
        ready = live.filter(PodState.isReady).count
        terminating = pods.filter { PodState.isTerminating($0) && !PodState.isFinished($0) }.count
        let done = pods.filter { $0["status"]["phase"].stringValue == "Succeeded" }
        if var indexes = completedIndexes {
            // Indexed: what counts is how many distinct indexes succeeded.
            indexes.formUnion(done.compactMap(JobIndexes.index).filter { $0 < completions ?? 0 })
            completedIndexes = indexes
            succeeded = max(succeeded, indexes.count)
        } else {
            succeeded = max(succeeded, done.count)
        }
        failed = max(failed, pods.filter { $0["status"]["phase"].stringValue == "Failed" }.count)
    }

    func condition(_ type: String) -> JSONValue? {
        conditions.first { $0["type"].stringValue == type }
    }

    func isTrue(_ type: String) -> Bool { condition(type)?["status"].stringValue == "True" }

    var isFinished: Bool { isTrue("Complete") || isTrue("Failed") }

    /// When it finished: the terminal condition's transition (what the TTL counts from).
    var finishedAt: Date? {
        let terminal = condition("Complete").flatMap { $0["status"].stringValue == "True" ? $0 : nil }
            ?? condition("Failed").flatMap { $0["status"].stringValue == "True" ? $0 : nil }
        return terminal?["lastTransitionTime"].stringValue.flatMap(RFC3339.date) ?? completionTime
    }

    /// The outcome an earlier pass decided and recorded, waiting for pods to stop.
    var interimCondition: JobOutcome? {
        if isTrue("SuccessCriteriaMet") { return .completed }
        guard let target = condition("FailureTarget"), target["status"].stringValue == "True" else { return nil }
        return JobOutcome(
            interim: "FailureTarget", terminal: "Failed", reason: target["reason"].stringValue ?? "",
            message: target["message"].stringValue ?? "")
    }

    /// Sets a condition; true when it was not already in that status.
    @discardableResult
    mutating func setCondition(_ type: String, _ status: String, reason: String, message: String, now: Date) -> Bool {
        if let existing = condition(type), existing["status"].stringValue == status { return false }
        let stamp = JSONValue.string(RFC3339.format(now))
        let condition: JSONValue = [
            "type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
            "lastProbeTime": stamp, "lastTransitionTime": stamp,
        ]
        if let index = conditions.firstIndex(where: { $0["type"].stringValue == type }) {
            conditions[index] = condition
        } else {
            conditions.append(condition)
        }
        return true
    }

    /// As batch/v1 marshals it: zero `active`, `succeeded`, `failed` omitted,
    /// `ready` and `terminating` always present.
    var json: JSONValue {
        var status = base
        status["active"] = active > 0 ? .integer(Int64(active)) : .null
        status["succeeded"] = succeeded > 0 ? .integer(Int64(succeeded)) : .null
        status["failed"] = failed > 0 ? .integer(Int64(failed)) : .null
        status["ready"] = .integer(Int64(ready))
        status["terminating"] = .integer(Int64(terminating))
        status["startTime"] = startTime.map { .string(RFC3339.format($0)) } ?? .null
        status["completionTime"] = completionTime.map { .string(RFC3339.format($0)) } ?? .null
        status["conditions"] = conditions.isEmpty ? .null : .array(conditions)
        if let completedIndexes { status["completedIndexes"] = completedIndexes.isEmpty ? .null : .string(JobIndexes.format(completedIndexes)) }
        if status["uncountedTerminatedPods"].isNull { status["uncountedTerminatedPods"] = .emptyObject }
        return status.removingNullFields()
    }
}
