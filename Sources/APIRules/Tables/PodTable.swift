import Foundation
import SkiffAPI

/// `kubectl get pods`: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES.
enum PodTable: TablePrinter {
    static let columns: [TableColumn] = [
        .name,
        TableColumn("Ready", description: "The aggregate readiness state of this pod for accepting traffic."),
        TableColumn("Status", description: "The aggregate status of the containers in this pod."),
        TableColumn(
            "Restarts",
            description:
                "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."
        ),
        .age,
        TableColumn(
            "IP", priority: 1,
            description:
                "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."
        ),
        TableColumn(
            "Node", priority: 1,
            description:
                "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename"
        ),
        TableColumn(
            "Nominated Node", priority: 1,
            description:
                "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled."
        ),
        TableColumn(
            "Readiness Gates", priority: 1,
            description:
                "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates"
        ),
    ]

    static func cells(_ pod: JSONValue, now: Date) -> [JSONValue] {
        let summary = PodStatusSummary(pod)
        return [
            .string(pod["metadata"]["name"].tableString),
            .string(summary.ready),
            .string(summary.reason),
            .string(summary.restartsCell(now: now)),
            .string(TableTime.since(pod["metadata"]["creationTimestamp"], now: now)),
            .string(orNone(podIP(pod["status"]))),
            .string(orNone(pod["spec"]["nodeName"].tableString)),
            .string(orNone(pod["status"]["nominatedNodeName"].tableString)),
            .string(readinessGates(pod)),
        ]
    }

    /// A pod that finished is marked `Completed` so clients may hide it.
    static func conditions(_ pod: JSONValue) -> [JSONValue] {
        switch pod["status"]["phase"].tableString {
        case "Succeeded":
            return [
                [
                    "type": "Completed", "status": "True", "reason": "Succeeded",
                    "message": "The pod has completed successfully.",
                ]
            ]
        case "Failed":
            return [["type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."]]
        default:
            return []
        }
    }

    /// `status.podIP` wins over `status.podIPs[0]`, as the v1 to internal conversion decides.
    private static func podIP(_ status: JSONValue) -> String {
        let single = status["podIP"].tableString
        return single.isEmpty ? status["podIPs"][0]["ip"].tableString : single
    }

    /// `1/2`: readiness gates whose condition is `True`, out of all gates; `<none>` without gates.
    private static func readinessGates(_ pod: JSONValue) -> String {
        let gates = pod["spec"]["readinessGates"].tableList
        guard !gates.isEmpty else { return "<none>" }
        let conditions = pod["status"]["conditions"].tableList
        let satisfied = gates.filter { gate in
            let type = gate["conditionType"].tableString
            return conditions.first { $0["type"].tableString == type }?["status"].tableString == "True"
        }
        return "\(satisfied.count)/\(gates.count)"
    }

    private static func orNone(_ value: String) -> String { value.isEmpty ? "<none>" : value }
}
