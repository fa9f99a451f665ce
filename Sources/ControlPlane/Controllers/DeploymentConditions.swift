import Foundation
import SkiffAPI

/// A Deployment's `status.conditions`, set as `deploymentutil.SetDeploymentCondition` does:
/// the same status and reason leave the condition alone, the same status keeps
/// its lastTransitionTime.
struct DeploymentConditions {
    var list: [JSONValue]
    let stamp: String

    init(_ status: JSONValue, now: Date) {
        list = status["conditions"].arrayValue ?? []
        stamp = RFC3339.format(now)
    }

    func get(_ type: String) -> JSONValue? {
        list.first { $0["type"].stringValue == type }
    }

    mutating func set(_ type: String, status: String, reason: String, message: String) {
        let current = get(type)
        if current?["status"].stringValue == status, current?["reason"].stringValue == reason { return }
        var transition = stamp
        if current?["status"].stringValue == status, let kept = current?["lastTransitionTime"].stringValue { transition = kept }
        replace(type, status: status, reason: reason, message: message, transition: transition)
    }

    /// Progress seen: the condition is rewritten even with the same reason,
    /// so its lastUpdateTime (from which the progress deadline runs) moves.
    mutating func progressed(reason: String, message: String) {
        let current = get("Progressing")
        var transition = stamp
        if current?["status"].stringValue == "True", let kept = current?["lastTransitionTime"].stringValue { transition = kept }
        replace("Progressing", status: "True", reason: reason, message: message, transition: transition)
    }

    private mutating func replace(_ type: String, status: String, reason: String, message: String, transition: String) {
        let condition: JSONValue = [
            "type": .string(type), "status": .string(status), "lastUpdateTime": .string(stamp),
            "lastTransitionTime": .string(transition), "reason": .string(reason), "message": .string(message),
        ]
        if let index = list.firstIndex(where: { $0["type"].stringValue == type }) {
            list[index] = condition
        } else {
            list.append(condition)
        }
    }
}
