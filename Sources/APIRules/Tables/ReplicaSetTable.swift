import Foundation
import SkiffAPI

/// `kubectl get replicasets`: NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR.
enum ReplicaSetTable: TablePrinter {
    static let columns: [TableColumn] = [
        .name,
        TableColumn(
            "Desired", type: "integer",
            description:
                "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller"
        ),
        TableColumn(
            "Current", type: "integer",
            description:
                "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller"
        ),
        TableColumn("Ready", type: "integer", description: "The number of ready replicas for this replica set."),
        .age, .containers, .images,
        TableColumn(
            "Selector", priority: 1,
            description:
                "Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"
        ),
    ]

    static func cells(_ replicaSet: JSONValue, now: Date) -> [JSONValue] {
        let spec = replicaSet["spec"]
        let status = replicaSet["status"]
        let (names, images) = TableFormat.containerCells(spec["template"]["spec"]["containers"])
        return [
            .string(replicaSet["metadata"]["name"].tableString),
            .integer(spec["replicas"].int64Value ?? 1),
            .integer(status["replicas"].tableInt),
            .integer(status["readyReplicas"].tableInt),
            .string(TableTime.since(replicaSet["metadata"]["creationTimestamp"], now: now)),
            names, images,
            .string(TableFormat.labelSelector(spec["selector"])),
        ]
    }
}
