import SkiffAPI
import Testing

@testable import ControlPlane

/// The ReplicaSet name part: stable, in the safe alphabet, blind to the hash
/// label itself, and moved by collisionCount.
@Suite struct PodTemplateHashTests {
    let template: JSONValue = [
        "metadata": ["labels": ["app": "mytest"], "creationTimestamp": nil],
        "spec": ["containers": [["name": "notepad", "image": "mengsixing/notepad"]]],
    ]

    @Test func hashIsStableAndSafe() {
        let hash = PodTemplateHash.compute(template, collisionCount: nil)
        #expect(hash == PodTemplateHash.compute(template, collisionCount: nil))
        #expect(!hash.isEmpty && hash.count <= 10)
        // Decimal digits map only onto these ten characters of the safe alphabet.
        #expect(hash.allSatisfy { "456789bcdf".contains($0) }, "\(hash)")
        #expect(PodTemplateHash.safeEncode("0123456789") == "456789bcdf")
    }

    @Test func hashIgnoresItsOwnLabelAndNulls() {
        var labelled = template
        labelled[path: ["metadata", "labels", "pod-template-hash"]] = "5d4f7c9b8d"
        labelled[path: ["metadata", "creationTimestamp"]] = nil
        #expect(PodTemplateHash.compute(labelled, collisionCount: nil) == PodTemplateHash.compute(template, collisionCount: nil))
        #expect(PodTemplateHash.equalIgnoringHash(labelled, template))
    }

    @Test func templateChangesAndCollisionsMoveTheHash() {
        var changed = template
        changed[path: ["spec", "containers"]] = [["name": "notepad", "image": "mengsixing/notepad:new"]]
        let base = PodTemplateHash.compute(template, collisionCount: nil)
        #expect(PodTemplateHash.compute(changed, collisionCount: nil) != base)
        #expect(!PodTemplateHash.equalIgnoringHash(changed, template))
        #expect(PodTemplateHash.compute(template, collisionCount: 1) != base)
        #expect(PodTemplateHash.compute(template, collisionCount: 1) != PodTemplateHash.compute(template, collisionCount: 2))
    }
}

/// maxSurge/maxUnavailable as `intstr` with Kubernetes' rounding.
@Suite struct DeploymentRolloutMathTests {
    func deployment(replicas: Int64, surge: JSONValue, unavailable: JSONValue) -> JSONValue {
        [
            "spec": [
                "replicas": .integer(replicas),
                "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": surge, "maxUnavailable": unavailable]],
            ]
        ]
    }

    @Test func percentagesRoundSurgeUpAndUnavailableDown() {
        #expect(DeploymentRolloutMath.scaled("25%", total: 10, roundUp: true) == 3)
        #expect(DeploymentRolloutMath.scaled("25%", total: 10, roundUp: false) == 2)
        #expect(DeploymentRolloutMath.scaled("25%", total: 3, roundUp: true) == 1)
        #expect(DeploymentRolloutMath.scaled("25%", total: 3, roundUp: false) == 0)
        #expect(DeploymentRolloutMath.scaled(2, total: 3, roundUp: false) == 2)
        #expect(DeploymentRolloutMath.scaled("x%", total: 3, roundUp: false) == nil)
    }

    @Test func fencepostsNeverBothZero() {
        let tight = deployment(replicas: 3, surge: "25%", unavailable: "25%")
        #expect(DeploymentRolloutMath.fenceposts(tight) == (1, 0))
        let zero = deployment(replicas: 1, surge: "10%", unavailable: "10%")
        #expect(DeploymentRolloutMath.fenceposts(zero) == (1, 0))
        let none = deployment(replicas: 4, surge: 0, unavailable: 0)
        #expect(DeploymentRolloutMath.fenceposts(none) == (0, 1))
        var recreate = tight
        recreate[path: ["spec", "strategy"]] = ["type": "Recreate"]
        #expect(DeploymentRolloutMath.maxSurge(recreate) == 0)
        #expect(DeploymentRolloutMath.maxUnavailable(recreate) == 0)
    }

    @Test func newReplicaSetGrowsWithinTheSurge() {
        // 10 wanted, surge 3: 10 old pods leave room for 3 new ones, then none.
        #expect(DeploymentRolloutMath.newReplicaSetReplicas(desired: 10, surge: 3, currentTotal: 10, newReplicas: 0) == 3)
        #expect(DeploymentRolloutMath.newReplicaSetReplicas(desired: 10, surge: 3, currentTotal: 13, newReplicas: 3) == 3)
        // Never beyond the replicas wanted.
        #expect(DeploymentRolloutMath.newReplicaSetReplicas(desired: 10, surge: 3, currentTotal: 9, newReplicas: 9) == 10)
        #expect(DeploymentRolloutMath.maxScaledDown(allPods: 13, desired: 10, unavailable: 2, newUnavailable: 3) == 2)
    }

    typealias Share = DeploymentRolloutMath.Share

    @Test func scalingMidRolloutIsProportional() {
        // 10 -> 20 with 8 old and 5 new pods (both sized for 13): 25 allowed, 12 more.
        let grown = DeploymentRolloutMath.proportionalSizes(
            [Share(id: "old", replicas: 8, maxBefore: 13), Share(id: "new", replicas: 5, maxBefore: 13)],
            desired: 20, surge: 5, statusReplicas: 13)
        #expect(grown == ["old": 15, "new": 10])
        // And back to 10 (surge 3): 13 allowed, 12 fewer.
        let shrunk = DeploymentRolloutMath.proportionalSizes(
            [Share(id: "old", replicas: 15, maxBefore: 25), Share(id: "new", replicas: 10, maxBefore: 25)],
            desired: 10, surge: 3, statusReplicas: 25)
        #expect(shrunk == ["old": 8, "new": 5])
        // Equal sizes: halves round away from zero, the newer one is served first.
        let tied = DeploymentRolloutMath.proportionalSizes(
            [Share(id: "a", replicas: 3, maxBefore: 6), Share(id: "b", replicas: 3, maxBefore: 6)],
            desired: 7, surge: 2, statusReplicas: 6)
        #expect(tied == ["a": 4, "b": 5])
        // To zero: everything goes.
        let none = DeploymentRolloutMath.proportionalSizes(
            [Share(id: "a", replicas: 4, maxBefore: nil), Share(id: "b", replicas: 2, maxBefore: nil)],
            desired: 0, surge: 0, statusReplicas: 6)
        #expect(none == ["a": 0, "b": 0])
    }
}

/// What a Deployment writes onto its new ReplicaSet's annotations.
@Suite struct DeploymentAnnotationsTests {
    @Test func rollbackKeepsTheRevisionsAReplicaSetHad() {
        let deployment: JSONValue = ["metadata": ["annotations": [
            "kubernetes.io/change-cause": "why", "deployment.kubernetes.io/revision": "7",
            "kubectl.kubernetes.io/last-applied-configuration": "{}",
        ]]]
        var replicaSet: JSONValue = ["metadata": ["annotations": ["deployment.kubernetes.io/revision": "1"]]]
        #expect(DeploymentAnnotations.applyToNewReplicaSet(&replicaSet, from: deployment, revision: 3))
        #expect(replicaSet.metadata.annotations == [
            "deployment.kubernetes.io/revision": "3", "deployment.kubernetes.io/revision-history": "1",
            "kubernetes.io/change-cause": "why",
        ])
        #expect(!DeploymentAnnotations.applyToNewReplicaSet(&replicaSet, from: deployment, revision: 3))
        #expect(DeploymentAnnotations.applyToNewReplicaSet(&replicaSet, from: deployment, revision: 5))
        #expect(replicaSet.metadata.annotations["deployment.kubernetes.io/revision-history"] == "1,3")
        let long = (1...600).map(String.init).joined(separator: ",")
        #expect(DeploymentAnnotations.appendingHistory(long, "601").count <= DeploymentAnnotations.historyLimit)
        #expect(DeploymentAnnotations.appendingHistory(long, "601").hasSuffix(",600,601"))
    }
}
