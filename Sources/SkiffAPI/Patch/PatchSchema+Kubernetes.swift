/// The strategic-merge facts of the built-in kinds, transcribed from the
/// `patchStrategy`/`patchMergeKey` tags of Kubernetes 1.32 (k8s.io/api v0.32,
/// k8s.io/apimachinery meta/v1). Lists without tags (`tolerations`, `readinessGates`,
/// `volumeClaimTemplates`, Endpoints `subsets`, EndpointSlice `endpoints`) are atomic.
extension PatchSchema {
    /// The schema for objects of this kind. The version does not matter (tags have not
    /// changed between versions of a kind); unknown kinds get `metadata` and otherwise
    /// merge objects and replace lists.
    public static func forKind(_ gvk: GroupVersionKind) -> PatchSchema {
        switch (gvk.group, gvk.kind) {
        case ("", "Pod"): return kind(["spec": podSpec, "status": podStatus])
        case ("", "PodTemplate"): return kind(["template": podTemplate])
        case ("", "ReplicationController"), ("apps", "ReplicaSet"), ("extensions", "ReplicaSet"),
            ("apps", "DaemonSet"), ("extensions", "DaemonSet"), ("apps", "StatefulSet"), ("batch", "Job"):
            return kind(["spec": .object(["template": podTemplate]), "status": conditionsStatus])
        case ("apps", "Deployment"), ("extensions", "Deployment"):
            return kind([
                "spec": .object(["template": podTemplate, "strategy": .object([:], retainKeys: true)]),
                "status": conditionsStatus,
            ])
        case ("batch", "CronJob"):
            return kind([
                "spec": .object([
                    "jobTemplate": .object(["metadata": objectMeta, "spec": .object(["template": podTemplate])])
                ])
            ])
        case ("", "Service"):
            return kind(["spec": .object(["ports": .list(mergingOn: "port")]), "status": conditionsStatus])
        case ("", "Node"):
            return kind([
                "spec": .object(["podCIDRs": .set]),
                "status": .object(["conditions": conditions, "addresses": .list(mergingOn: "type")]),
            ])
        case ("", "Namespace"), ("", "PersistentVolumeClaim"):
            return kind(["status": conditionsStatus])
        case ("", "ServiceAccount"):
            return kind(["secrets": .list(mergingOn: "name")])
        case ("", "ComponentStatus"):
            return kind(["conditions": conditions])
        default:
            return kind([:])
        }
    }

    /// A kind's top level: its own fields plus `metadata`.
    private static func kind(_ fields: [String: PatchSchema]) -> PatchSchema {
        .object(fields.merging(["metadata": objectMeta]) { own, _ in own })
    }

    /// ObjectMeta: owner references merge by uid, finalizers are a set.
    static let objectMeta = PatchSchema.object([
        "ownerReferences": .list(mergingOn: "uid"),
        "finalizers": .set,
    ])

    static let conditions = PatchSchema.list(mergingOn: "type")
    static let conditionsStatus = PatchSchema.object(["conditions": conditions])

    /// Container and EphemeralContainer share these tags.
    static let container = PatchSchema.object([
        "ports": .list(mergingOn: "containerPort"),
        "env": .list(mergingOn: "name"),
        "volumeMounts": .list(mergingOn: "mountPath"),
        "volumeDevices": .list(mergingOn: "devicePath"),
    ])

    static let podSpec = PatchSchema.object([
        "volumes": .list(mergingOn: "name", retainKeys: true),
        "initContainers": .list(mergingOn: "name", container.fields),
        "containers": .list(mergingOn: "name", container.fields),
        "ephemeralContainers": .list(mergingOn: "name", container.fields),
        "imagePullSecrets": .list(mergingOn: "name"),
        "hostAliases": .list(mergingOn: "ip"),
        "topologySpreadConstraints": .list(mergingOn: "topologyKey"),
        "schedulingGates": .list(mergingOn: "name"),
        "resourceClaims": .list(mergingOn: "name", retainKeys: true),
    ])

    static let podStatus = PatchSchema.object([
        "conditions": conditions,
        "hostIPs": .list(mergingOn: "ip"),
        "podIPs": .list(mergingOn: "ip"),
        "resourceClaimStatuses": .list(mergingOn: "name", retainKeys: true),
    ])

    /// `spec.template` of the workload kinds.
    static let podTemplate = PatchSchema.object(["metadata": objectMeta, "spec": podSpec])
}
