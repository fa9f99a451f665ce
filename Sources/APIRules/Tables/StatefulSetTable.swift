import Foundation
import SkiffAPI

/// `kubectl get statefulsets`: NAME READY AGE, wide CONTAINERS IMAGES.
enum StatefulSetTable: TablePrinter {
    static let columns: [TableColumn] = [
        .name,
        TableColumn("Ready", description: "Number of the pod with ready state"),
        .age, .containers, .images,
    ]

    static func cells(_ statefulSet: JSONValue, now: Date) -> [JSONValue] {
        let spec = statefulSet["spec"]
        let (names, images) = TableFormat.containerCells(spec["template"]["spec"]["containers"])
        return [
            .string(statefulSet["metadata"]["name"].tableString),
            .string("\(statefulSet["status"]["readyReplicas"].tableInt)/\(spec["replicas"].int64Value ?? 1)"),
            .string(TableTime.since(statefulSet["metadata"]["creationTimestamp"], now: now)),
            names, images,
        ]
    }
}
