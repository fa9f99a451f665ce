import Foundation
import SkiffAPI

/// How controllers read a Pod's state, with Kubernetes' definitions (see
/// `k8s.io/kubernetes/pkg/api/v1/pod`): what counts as active, ready and
/// available decides how many replicas a workload has.
enum PodState {
    /// Neither finished nor being deleted: it counts toward replicas.
    static func isActive(_ pod: JSONValue) -> Bool {
        pod.metadata.deletionTimestamp == nil && !isFinished(pod)
    }

    /// Succeeded or Failed: its containers will not run again.
    static func isFinished(_ pod: JSONValue) -> Bool {
        let phase = pod["status"]["phase"].stringValue
        return phase == "Succeeded" || phase == "Failed"
    }

    static func isTerminating(_ pod: JSONValue) -> Bool {
        pod.metadata.deletionTimestamp != nil
    }

    /// The `Ready` condition is True.
    static func isReady(_ pod: JSONValue) -> Bool {
        readyCondition(pod)?["status"].stringValue == "True"
    }

    /// Ready for at least `minReadySeconds` at `now` (Kubernetes'
    /// `IsPodAvailable`): the Ready condition's transition time counts.
    static func isAvailable(_ pod: JSONValue, minReadySeconds: Int64, now: Date) -> Bool {
        guard isReady(pod) else { return false }
        guard minReadySeconds > 0 else { return true }
        guard let since = readyCondition(pod)?["lastTransitionTime"].stringValue.flatMap(RFC3339.date) else {
            return false
        }
        return since.addingTimeInterval(TimeInterval(minReadySeconds)) <= now
    }

    /// When the pod will become available, for controllers that must look
    /// again at that moment; nil when it is not ready or already available.
    static func availableAt(_ pod: JSONValue, minReadySeconds: Int64, now: Date) -> Date? {
        guard minReadySeconds > 0, isReady(pod),
            let since = readyCondition(pod)?["lastTransitionTime"].stringValue.flatMap(RFC3339.date)
        else { return nil }
        let at = since.addingTimeInterval(TimeInterval(minReadySeconds))
        return at > now ? at : nil
    }

    private static func readyCondition(_ pod: JSONValue) -> JSONValue? {
        pod["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "Ready" }
    }

    /// Whether `pod` is controlled by the object with `uid`.
    static func isControlled(_ pod: JSONValue, by uid: String?) -> Bool {
        guard let uid else { return false }
        return pod.metadata.controllerReference?.uid == uid
    }
}
