import Foundation
import SkiffAPI

/// The writes a Deployment pass makes to its ReplicaSets: the new one
/// (found or created), sizes with their annotations, and history pruning.
extension DeploymentSync {
    /// `getNewReplicaSet`: the ReplicaSet of the current template with its
    /// revision and copied annotations brought up to date, or (when `create`)
    /// a new one named after the template's hash. nil when there is none yet
    /// and `create` is false.
    mutating func newReplicaSet(create: Bool) async throws -> JSONValue? {
        let revision = (snapshot.oldReplicaSets.map(DeploymentSnapshot.revision).max() ?? 0) + 1
        let minReady = deployment["spec"]["minReadySeconds"]
        if let existing = snapshot.newReplicaSet {
            var next = existing
            var changed = DeploymentAnnotations.applyToNewReplicaSet(&next, from: deployment, revision: revision)
            if next["spec"]["minReadySeconds"] != minReady {
                next[path: ["spec", "minReadySeconds"]] = minReady
                changed = true
            }
            var current = existing
            if changed {
                guard let written = try await access.write(kinds.replicaSets, current: existing, next: next) else {
                    throw StaleWrite()
                }
                snapshot.record(written)
                current = written
            }
            try await setDeploymentRevision(DeploymentSnapshot.revision(current))
            if hasProgressDeadline, conditions.get("Progressing") == nil {
                conditions.set(
                    "Progressing", status: "True", reason: "FoundNewReplicaSet",
                    message: "Found new replica set \(GoQuote.quote(current.metadata.name ?? ""))")
            }
            return current
        }
        guard create else { return nil }
        let replicaSet = makeReplicaSet(revision: revision)
        let name = replicaSet.metadata.name ?? ""
        guard let created = try await access.create(kinds.replicaSets, replicaSet, namespace: deployment.metadata.namespace)
        else {
            try await handleNameTaken(name)
            throw StaleWrite()
        }
        snapshot.record(created)
        let replicas = DeploymentSnapshot.replicas(created)
        if replicas > 0 {
            await access.event(
                deployment, reason: "ScalingReplicaSet", message: "Scaled up replica set \(name) from 0 to \(replicas)")
        }
        if hasProgressDeadline {
            conditions.set(
                "Progressing", status: "True", reason: "NewReplicaSetCreated",
                message: "Created new replica set \(GoQuote.quote(name))")
        }
        try await setDeploymentRevision(revision)
        return created
    }

    /// The ReplicaSet for the current template: template and selector with
    /// `pod-template-hash`, the first size the strategy allows, the revision
    /// and replica annotations, owned by the Deployment.
    func makeReplicaSet(revision: Int64) -> JSONValue {
        var template = deployment["spec"]["template"]
        let hash = PodTemplateHash.compute(template, collisionCount: deployment["status"]["collisionCount"].int64Value)
        template[path: ["metadata", "labels", PodTemplateHash.label]] = .string(hash)
        var selector = deployment["spec"]["selector"]
        selector[path: ["matchLabels", PodTemplateHash.label]] = .string(hash)
        let surge = DeploymentRolloutMath.maxSurge(deployment)
        let replicas =
            DeploymentRolloutMath.isRecreate(deployment)
            ? desired
            : DeploymentRolloutMath.newReplicaSetReplicas(
                desired: desired, surge: surge,
                currentTotal: snapshot.replicaSets.reduce(0) { $0 + snapshot.current($1) }, newReplicas: 0)
        var replicaSet: JSONValue = [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": [
                "name": .string("\(deployment.metadata.name ?? "")-\(hash)"),
                "namespace": deployment["metadata"]["namespace"],
                "labels": template["metadata"]["labels"],
                "ownerReferences": [ControllerAccess.controllerReference(to: deployment)],
            ],
            "spec": [
                "replicas": .integer(replicas), "selector": selector, "template": template,
                "minReadySeconds": deployment["spec"]["minReadySeconds"],
            ],
        ]
        DeploymentAnnotations.applyToNewReplicaSet(&replicaSet, from: deployment, revision: revision)
        DeploymentAnnotations.applyReplicas(&replicaSet, desired: desired, max: desired + surge)
        return replicaSet.removingNullFields()
    }

    /// The name of a new ReplicaSet is taken: by this very ReplicaSet (a
    /// pass before a restart made it; the next pass finds it), or by another
    /// template: a hash collision, so `collisionCount` moves and the next
    /// pass tries another name.
    mutating func handleNameTaken(_ name: String) async throws {
        guard
            let existing = try await access.handler.store.get(
                kinds.replicaSets, namespace: deployment.metadata.namespace, name: name)
        else { return }
        let ours = existing.metadata.controllerReference?.uid == deployment.metadata.uid
        if ours && PodTemplateHash.equalIgnoringHash(existing["spec"]["template"], deployment["spec"]["template"]) { return }
        var next = deployment
        next[path: ["status", "collisionCount"]] = .integer((deployment["status"]["collisionCount"].int64Value ?? 0) + 1)
        try await access.writeStatus(kinds.deployments, current: deployment, next: next)
    }

    /// Mirrors the new ReplicaSet's revision onto the Deployment (`rollout history` and `describe` show it).
    mutating func setDeploymentRevision(_ revision: Int64) async throws {
        guard deployment.metadata.annotations[DeploymentAnnotations.revision] != String(revision) else { return }
        var next = deployment
        next[path: ["metadata", "annotations", DeploymentAnnotations.revision]] = .string(String(revision))
        guard let written = try await access.write(kinds.deployments, current: deployment, next: next) else {
            throw StaleWrite()
        }
        snapshot.deployment = written
    }

    /// `scaleReplicaSet`: the new size and the replica annotations, and a
    /// `ScalingReplicaSet` event when the size moved.
    mutating func scale(_ replicaSet: JSONValue, to replicas: Int64) async throws {
        let before = DeploymentSnapshot.replicas(replicaSet)
        var next = replicaSet
        next[path: ["spec", "replicas"]] = .integer(replicas)
        let annotated = DeploymentAnnotations.applyReplicas(
            &next, desired: desired, max: desired + DeploymentRolloutMath.maxSurge(deployment))
        guard before != replicas || annotated else { return }
        guard let written = try await access.write(kinds.replicaSets, current: replicaSet, next: next) else {
            throw StaleWrite()
        }
        snapshot.record(written)
        guard before != replicas else { return }
        let direction = replicas > before ? "up" : "down"
        await access.event(
            deployment, reason: "ScalingReplicaSet",
            message: "Scaled \(direction) replica set \(replicaSet.metadata.name ?? "") from \(before) to \(replicas)")
    }

    /// `cleanupDeployment`: old ReplicaSets with no replicas and no pods
    /// beyond `revisionHistoryLimit`, lowest revision first.
    mutating func pruneHistory() async throws {
        guard let limit = deployment["spec"]["revisionHistoryLimit"].int64Value else { return }
        let prunable = snapshot.oldReplicaSets.filter {
            DeploymentSnapshot.replicas($0) == 0 && snapshot.podCounts($0).existing == 0 && $0.metadata.deletionTimestamp == nil
                && ($0["status"]["replicas"].int64Value ?? 0) == 0
        }
        guard prunable.count > Int(limit) else { return }
        let ordered = prunable.sorted {
            (DeploymentSnapshot.revision($0), $0.metadata.creationTimestamp ?? "")
                < (DeploymentSnapshot.revision($1), $1.metadata.creationTimestamp ?? "")
        }
        for replicaSet in ordered.prefix(prunable.count - Int(limit)) {
            try await access.delete(
                kinds.replicaSets, namespace: replicaSet.metadata.namespace, name: replicaSet.metadata.name ?? "",
                uid: replicaSet.metadata.uid)
        }
    }
}
