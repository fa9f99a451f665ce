import Foundation
import SkiffAPI
import Testing

@testable import ControlPlane

/// The status a Deployment's pods add up to, and the Progressing condition's
/// clock, from hand-made snapshots (no server).
@Suite struct DeploymentStatusTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func deployment(replicas: Int64, status: JSONValue = .emptyObject) -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "web", "namespace": "default", "uid": "d1", "generation": 2],
            "spec": [
                "replicas": .integer(replicas), "progressDeadlineSeconds": 5,
                "selector": ["matchLabels": ["app": "web"]],
                "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": "25%", "maxUnavailable": "25%"]],
                "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "a", "image": "b"]]]],
            ],
            "status": status,
        ]
    }

    func replicaSet(uid: String, replicas: Int64, template: JSONValue) -> JSONValue {
        [
            "metadata": ["name": .string("web-\(uid)"), "uid": .string(uid), "creationTimestamp": "2027-01-15T08:00:00Z"],
            "spec": ["replicas": .integer(replicas), "template": template],
        ]
    }

    func pod(_ name: String, owner: String, ready: Bool) -> JSONValue {
        var pod: JSONValue = [
            "metadata": ["name": .string(name), "ownerReferences": [["apiVersion": "apps/v1", "kind": "ReplicaSet",
                "name": .string("web-\(owner)"), "uid": .string(owner), "controller": true]]],
            "status": ["phase": "Running"],
        ]
        if ready {
            pod[path: ["status", "conditions"]] = [["type": "Ready", "status": "True", "lastTransitionTime": "2027-01-15T08:00:00Z"]]
        }
        return pod
    }

    func progressing(_ status: JSONValue) -> JSONValue? {
        status["conditions"].arrayValue?.first { $0["type"] == "Progressing" }
    }

    @Test func countsComeFromThePods() {
        let owner = deployment(replicas: 3)
        let template = owner["spec"]["template"]
        let sets = [replicaSet(uid: "old", replicas: 1, template: ["other": true]), replicaSet(uid: "new", replicas: 3, template: template)]
        let pods = [pod("a", owner: "old", ready: true), pod("b", owner: "new", ready: true), pod("c", owner: "new", ready: false)]
        let snapshot = DeploymentSnapshot(deployment: owner, replicaSets: sets, pods: ReplicaSetPodGroups(pods), now: now)
        #expect(snapshot.newReplicaSet?.metadata.uid == "new")
        #expect(snapshot.oldReplicaSets.map(\.metadata.uid) == ["old"])
        let result = DeploymentStatusCalculator.calculate(
            snapshot, newReplicaSet: snapshot.newReplicaSet, conditions: DeploymentConditions(owner["status"], now: now),
            rollout: true, now: now)
        let status = result.status
        #expect(status["replicas"] == 3 && status["updatedReplicas"] == 2 && status["readyReplicas"] == 2)
        #expect(status["availableReplicas"] == 2 && status["unavailableReplicas"] == 2 && status["observedGeneration"] == 2)
        // 2 available, 3 wanted, 0 may be unavailable (25% of 3 rounds down).
        #expect(status["conditions"].arrayValue?.first { $0["type"] == "Available" }?["status"] == "False")
        // Progress was made (from an empty status): the deadline runs from now.
        #expect(progressing(status)?["reason"] == "ReplicaSetUpdated")
        #expect(progressing(status)?["message"] == "ReplicaSet \"web-new\" is progressing.")
        #expect(result.deadline == now.addingTimeInterval(6))
    }

    @Test func noProgressPastTheDeadlineTimesOut() {
        let stale = RFC3339.format(now.addingTimeInterval(-10))
        let before: JSONValue = [
            "replicas": 1, "updatedReplicas": 1,
            "conditions": [["type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated",
                "lastUpdateTime": .string(stale), "lastTransitionTime": .string(stale), "message": "x"]],
        ]
        let owner = deployment(replicas: 2, status: before)
        let sets = [replicaSet(uid: "new", replicas: 2, template: owner["spec"]["template"])]
        let snapshot = DeploymentSnapshot(
            deployment: owner, replicaSets: sets, pods: ReplicaSetPodGroups([pod("a", owner: "new", ready: false)]), now: now)
        let result = DeploymentStatusCalculator.calculate(
            snapshot, newReplicaSet: snapshot.newReplicaSet, conditions: DeploymentConditions(before, now: now),
            rollout: true, now: now)
        let condition = progressing(result.status)
        #expect(condition?["status"] == "False" && condition?["reason"] == "ProgressDeadlineExceeded")
        #expect(condition?["message"] == "ReplicaSet \"web-new\" has timed out progressing.")
        #expect(condition?["lastTransitionTime"] == .string(RFC3339.format(now)))
        #expect(result.deadline == nil)

        // Within the deadline it waits, and says until when.
        let recent = RFC3339.format(now.addingTimeInterval(-2))
        var fresh = before
        fresh["conditions"] = [["type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated",
            "lastUpdateTime": .string(recent), "lastTransitionTime": .string(stale), "message": "x"]]
        let waiting = DeploymentStatusCalculator.calculate(
            snapshot, newReplicaSet: snapshot.newReplicaSet, conditions: DeploymentConditions(fresh, now: now),
            rollout: true, now: now)
        #expect(progressing(waiting.status)?["reason"] == "ReplicaSetUpdated")
        #expect(waiting.deadline == now.addingTimeInterval(4))
    }

    @Test func conditionsKeepTransitionTimesWhileTheStatusHolds() {
        let earlier = Date(timeIntervalSince1970: 1_700_000_000)
        var conditions = DeploymentConditions(.emptyObject, now: earlier)
        conditions.set("Available", status: "False", reason: "MinimumReplicasUnavailable", message: "m")
        var later = DeploymentConditions(["conditions": .array(conditions.list)], now: now)
        later.set("Available", status: "False", reason: "MinimumReplicasUnavailable", message: "other")
        #expect(later.get("Available")?["message"] == "m", "same status and reason: untouched")
        later.set("Available", status: "True", reason: "MinimumReplicasAvailable", message: "ok")
        #expect(later.get("Available")?["lastTransitionTime"] == .string(RFC3339.format(now)))
        later.progressed(reason: "ReplicaSetUpdated", message: "p")
        var again = DeploymentConditions(["conditions": .array(later.list)], now: now.addingTimeInterval(60))
        again.progressed(reason: "ReplicaSetUpdated", message: "p")
        #expect(again.get("Progressing")?["lastTransitionTime"] == .string(RFC3339.format(now)))
        #expect(again.get("Progressing")?["lastUpdateTime"] == .string(RFC3339.format(now.addingTimeInterval(60))))
    }

    @Test func pacingWakesForWhatFallsDueAndBacksOffUnderLoad() {
        #expect(ControllerPacing.timeout(until: nil, now: now) == .seconds(5))
        #expect(ControllerPacing.timeout(until: now.addingTimeInterval(60), now: now) == .seconds(5))
        #expect(ControllerPacing.timeout(until: now.addingTimeInterval(1), now: now) == .milliseconds(1050))
        #expect(ControllerPacing.timeout(until: now.addingTimeInterval(-3), now: now) == .milliseconds(50))
        #expect(ControllerPacing.settle(after: .milliseconds(1)) == .milliseconds(25))
        #expect(ControllerPacing.settle(after: .milliseconds(100)) == .milliseconds(200))
        #expect(ControllerPacing.settle(after: .seconds(3)) == .seconds(1))
    }
}
