/// Field tables of `k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto` (Kubernetes 1.32).
extension ProtobufSchema {
    static let objectMeta = ProtobufSchema([
        1: .string("name"),
        2: .string("generateName"),
        3: .string("namespace"),
        4: .string("selfLink"),
        5: .string("uid"),
        6: .string("resourceVersion"),
        7: .int("generation"),
        8: .time("creationTimestamp"),
        9: .time("deletionTimestamp"),
        10: .int("deletionGracePeriodSeconds", keepsZero: true),
        11: .map("labels"),
        12: .map("annotations"),
        13: .messages("ownerReferences", ownerReference),
        14: .strings("finalizers"),
    ])

    static let ownerReference = ProtobufSchema([
        5: .string("apiVersion"),
        1: .string("kind"),
        3: .string("name"),
        4: .string("uid"),
        6: .bool("controller", keepsZero: true),
        7: .bool("blockOwnerDeletion", keepsZero: true),
    ])

    static let labelSelector = ProtobufSchema([
        1: .map("matchLabels"),
        2: .messages(
            "matchExpressions",
            ProtobufSchema([1: .string("key"), 2: .string("operator"), 3: .strings("values")])),
    ])
}
