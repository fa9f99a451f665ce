import Foundation
import SkiffAPI

/// `kubectl get deployments`: NAME READY UP-TO-DATE AVAILABLE AGE, wide CONTAINERS IMAGES SELECTOR.
enum DeploymentTable: TablePrinter {
    static let columns: [TableColumn] = [
        .name,
        TableColumn("Ready", description: "Number of the pod with ready state"),
        TableColumn(
            "Up-to-date",
            description:
                "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
        TableColumn(
            "Available",
            description:
                "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
        .age, .containers, .images,
        TableColumn(
            "Selector", priority: 1,
            description:
                "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment."
        ),
    ]

    static func cells(_ deployment: JSONValue, now: Date) -> [JSONValue] {
        let spec = deployment["spec"]
        let status = deployment["status"]
        // spec.replicas defaults to 1; the printer sees the defaulted value.
        let desired = spec["replicas"].int64Value ?? 1
        let (names, images) = TableFormat.containerCells(spec["template"]["spec"]["containers"])
        return [
            .string(deployment["metadata"]["name"].tableString),
            .string("\(status["readyReplicas"].tableInt)/\(desired)"),
            .integer(status["updatedReplicas"].tableInt),
            .integer(status["availableReplicas"].tableInt),
            .string(TableTime.since(deployment["metadata"]["creationTimestamp"], now: now)),
            names, images,
            .string(TableFormat.selectorString(spec["selector"])),
        ]
    }
}
