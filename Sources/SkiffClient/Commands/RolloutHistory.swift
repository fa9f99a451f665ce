import SkiffAPI

/// A Deployment's revisions as kubectl reads them: the ReplicaSets it controls (controller
/// ownerReference with its uid), each numbered by `deployment.kubernetes.io/revision`
/// (missing: 0), with `kubernetes.io/change-cause` as the change cause.
public enum RolloutHistory {
    public static let revisionAnnotation = "deployment.kubernetes.io/revision"
    public static let changeCauseAnnotation = "kubernetes.io/change-cause"

    /// The ReplicaSets whose controller is `deployment`.
    public static func ownedReplicaSets(of deployment: JSONValue, in replicaSets: [JSONValue]) -> [JSONValue] {
        guard let uid = deployment["metadata"]["uid"].stringValue else { return [] }
        return replicaSets.filter { $0.metadata.controllerReference?.uid == uid }
    }

    /// The revision number; nil when the annotation is not a number (kubectl skips those).
    public static func revision(of replicaSet: JSONValue) -> Int64? {
        guard let text = replicaSet["metadata"]["annotations"][revisionAnnotation].stringValue else { return 0 }
        return Int64(text)
    }

    /// The `REVISION  CHANGE-CAUSE` table, or kubectl's sentence when there is no history.
    public static func table(of deployment: JSONValue, replicaSets: [JSONValue]) -> String {
        var causes: [Int64: String] = [:]
        for replicaSet in ownedReplicaSets(of: deployment, in: replicaSets) {
            guard let revision = revision(of: replicaSet) else { continue }
            causes[revision] = replicaSet["metadata"]["annotations"][changeCauseAnnotation].stringValue ?? ""
        }
        guard !causes.isEmpty else { return "No rollout history found." }
        var writer = TabWriter.kubectlDescribe()
        writer.append(["REVISION", "CHANGE-CAUSE"])
        for revision in causes.keys.sorted() {
            let cause = causes[revision] ?? ""
            writer.append([String(revision), cause.isEmpty ? "<none>" : cause])
        }
        return writer.flush()
    }

    /// The ReplicaSet of `revision`, or kubectl's error when there is none.
    public static func replicaSet(revision: Int64, of deployment: JSONValue, in replicaSets: [JSONValue]) throws(CtlError) -> JSONValue {
        guard let match = ownedReplicaSets(of: deployment, in: replicaSets).last(where: { self.revision(of: $0) == revision })
        else { throw .message("unable to find the specified revision") }
        return match
    }
}

/// The JSON patch `rollout undo` sends, computed as kubectl computes it.
public enum RolloutUndo {
    /// Annotations that describe the rollout itself rather than the template, kept from the
    /// Deployment instead of copied from the ReplicaSet.
    static let annotationsToSkip: Set<String> = [
        ApplyPlan.lastAppliedAnnotation,
        RolloutHistory.revisionAnnotation,
        "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas",
        "deprecated.deployment.rollback.to",
    ]

    public enum Outcome: Equatable, Sendable {
        /// Send this JSON patch (`application/json-patch+json`).
        case patch(JSONValue)
        /// The template already matches that revision; nothing to send.
        case skipped(String)
    }

    /// The ReplicaSet to go back to: `toRevision`, or (0) the highest revision below the
    /// current one, as kubectl picks it.
    public static func target(of deployment: JSONValue, replicaSets: [JSONValue], toRevision: Int64) throws(CtlError) -> JSONValue {
        var maximum: (revision: Int64, replicaSet: JSONValue?) = (-1, nil)
        var previous: (revision: Int64, replicaSet: JSONValue?) = (-1, nil)
        for replicaSet in RolloutHistory.ownedReplicaSets(of: deployment, in: replicaSets) {
            guard let revision = RolloutHistory.revision(of: replicaSet) else { continue }
            if toRevision == 0 {
                if maximum.revision < revision {
                    previous = maximum
                    maximum = (revision, replicaSet)
                } else if previous.revision < revision {
                    previous = (revision, replicaSet)
                }
            } else if toRevision == revision {
                return replicaSet
            }
        }
        if toRevision > 0 { throw .message("unable to find specified revision \(toRevision) in history") }
        guard let replicaSet = previous.replicaSet else {
            throw .message("no rollout history found for deployment \(GoQuote.quote(deployment["metadata"]["name"].stringValue ?? ""))")
        }
        return replicaSet
    }

    /// Replace `/spec/template` with the ReplicaSet's template (without `pod-template-hash`,
    /// null fields dropped so the template hash matches the old ReplicaSet's) and
    /// `/metadata/annotations` with the ReplicaSet's, keeping the Deployment's own rollout ones.
    public static func outcome(deployment: JSONValue, replicaSet: JSONValue, toRevision: Int64) throws(CtlError) -> Outcome {
        if deployment["spec"]["paused"].boolValue == true {
            throw .message(
                "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again")
        }
        let template = withoutHash(replicaSet["spec"]["template"]).removingNullFields()
        if template == withoutHash(deployment["spec"]["template"]).removingNullFields() {
            return .skipped("skipped rollback (current template already matches revision \(toRevision))")
        }
        var annotations: [String: JSONValue] = [:]
        let deploymentAnnotations = deployment["metadata"]["annotations"].objectValue ?? [:]
        for key in annotationsToSkip { if let value = deploymentAnnotations[key] { annotations[key] = value } }
        for (key, value) in replicaSet["metadata"]["annotations"].objectValue ?? [:] where !annotationsToSkip.contains(key) {
            annotations[key] = value
        }
        return .patch([
            ["op": "replace", "path": "/spec/template", "value": template],
            ["op": "replace", "path": "/metadata/annotations", "value": .object(annotations)],
        ])
    }

    private static func withoutHash(_ template: JSONValue) -> JSONValue {
        var template = template
        template[path: ["metadata", "labels", "pod-template-hash"]] = .null
        return template
    }
}
