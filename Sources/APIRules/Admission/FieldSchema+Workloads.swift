extension Admission.FieldSchema {
    static let deploymentSpec = fields(
        ["replicas", "minReadySeconds", "revisionHistoryLimit", "paused", "progressDeadlineSeconds"],
        [
            "selector": labelSelector,
            "template": podTemplateSpec,
            "strategy": fields(["type"], ["rollingUpdate": fields(["maxUnavailable", "maxSurge"])]),
        ])

    static let replicaSetSpec = fields(
        ["replicas", "minReadySeconds"], ["selector": labelSelector, "template": podTemplateSpec])

    static let daemonSetSpec = fields(
        ["minReadySeconds", "revisionHistoryLimit"],
        [
            "selector": labelSelector,
            "template": podTemplateSpec,
            "updateStrategy": fields(["type"], ["rollingUpdate": fields(["maxUnavailable", "maxSurge"])]),
        ])

    /// A claim as written in `volumeClaimTemplates`; its spec is open like a PVC's.
    static let claimTemplate = kind(["spec", "status"], [:])

    static let statefulSetSpec = fields(
        ["replicas", "serviceName", "podManagementPolicy", "revisionHistoryLimit", "minReadySeconds"],
        [
            "selector": labelSelector,
            "template": podTemplateSpec,
            "volumeClaimTemplates": .list(claimTemplate),
            "updateStrategy": fields(["type"], ["rollingUpdate": fields(["partition", "maxUnavailable"])]),
            "persistentVolumeClaimRetentionPolicy": fields(["whenDeleted", "whenScaled"]),
            "ordinals": fields(["start"]),
        ])

    static let jobSpec = fields(
        [
            "parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "backoffLimitPerIndex",
            "maxFailedIndexes", "manualSelector", "ttlSecondsAfterFinished", "completionMode", "suspend",
            "podReplacementPolicy", "managedBy",
            // Open: rule lists with their own small grammar, checked by the Job controller's users.
            "podFailurePolicy", "successPolicy",
        ],
        ["selector": labelSelector, "template": podTemplateSpec])
}
