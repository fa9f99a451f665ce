/// Field tables of `k8s.io/api/apps/v1/generated.proto` (Kubernetes 1.32) for
/// `kubectl create deployment`.
extension ProtobufSchema {
    static let deployment = ProtobufSchema([
        1: .message("metadata", objectMeta),
        2: .message("spec", deploymentSpec),
        3: .message("status", deploymentStatus),
    ])

    static let deploymentSpec = ProtobufSchema([
        1: .int("replicas", keepsZero: true),
        2: .message("selector", labelSelector),
        3: .message("template", podTemplateSpec),
        4: .message(
            "strategy",
            ProtobufSchema([
                1: .string("type"),
                2: .message(
                    "rollingUpdate",
                    ProtobufSchema([1: .intOrString("maxUnavailable"), 2: .intOrString("maxSurge")])),
            ])),
        5: .int("minReadySeconds"),
        6: .int("revisionHistoryLimit", keepsZero: true),
        7: .bool("paused"),
        9: .int("progressDeadlineSeconds", keepsZero: true),
    ])

    static let deploymentStatus = ProtobufSchema([
        1: .int("observedGeneration"),
        2: .int("replicas"),
        3: .int("updatedReplicas"),
        7: .int("readyReplicas"),
        4: .int("availableReplicas"),
        5: .int("unavailableReplicas"),
        8: .int("collisionCount", keepsZero: true),
    ])
}
