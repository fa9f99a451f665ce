import Foundation
import SkiffAPI

/// `kubectl get daemonsets`: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE,
/// wide CONTAINERS IMAGES SELECTOR.
enum DaemonSetTable: TablePrinter {
    static let columns: [TableColumn] = [
        .name,
        TableColumn(
            "Desired", type: "integer",
            description:
                "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"
        ),
        TableColumn(
            "Current", type: "integer",
            description:
                "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"
        ),
        TableColumn(
            "Ready", type: "integer",
            description:
                "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."
        ),
        TableColumn(
            "Up-to-date", type: "integer", description: "The total number of nodes that are running updated daemon pod"),
        TableColumn(
            "Available", type: "integer",
            description:
                "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"
        ),
        TableColumn(
            "Node Selector",
            description:
                "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"
        ),
        .age, .containers, .images,
        TableColumn(
            "Selector", priority: 1,
            description:
                "A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"
        ),
    ]

    static func cells(_ daemonSet: JSONValue, now: Date) -> [JSONValue] {
        let spec = daemonSet["spec"]
        let status = daemonSet["status"]
        let (names, images) = TableFormat.containerCells(spec["template"]["spec"]["containers"])
        return [
            .string(daemonSet["metadata"]["name"].tableString),
            .integer(status["desiredNumberScheduled"].tableInt),
            .integer(status["currentNumberScheduled"].tableInt),
            .integer(status["numberReady"].tableInt),
            .integer(status["updatedNumberScheduled"].tableInt),
            .integer(status["numberAvailable"].tableInt),
            .string(TableFormat.labels(spec["template"]["spec"]["nodeSelector"])),
            .string(TableTime.since(daemonSet["metadata"]["creationTimestamp"], now: now)),
            names, images,
            .string(TableFormat.labelSelector(spec["selector"])),
        ]
    }
}
