import Foundation
import SkiffAPI

/// `kubectl get nodes`: NAME STATUS ROLES AGE VERSION, wide INTERNAL-IP EXTERNAL-IP OS-IMAGE
/// KERNEL-VERSION CONTAINER-RUNTIME.
enum NodeTable: TablePrinter {
    static let columns: [TableColumn] = [
        .name,
        TableColumn("Status", description: "The status of the node"),
        TableColumn("Roles", description: "The roles of the node"),
        .age,
        TableColumn("Version", description: "Kubelet Version reported by the node."),
        TableColumn("Internal-IP", priority: 1, description: addressesDescription),
        TableColumn("External-IP", priority: 1, description: addressesDescription),
        TableColumn(
            "OS-Image", priority: 1,
            description: "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
        TableColumn(
            "Kernel-Version", priority: 1,
            description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
        TableColumn(
            "Container-Runtime", priority: 1,
            description:
                "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."),
    ]

    private static let addressesDescription =
        "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP)."

    static func cells(_ node: JSONValue, now: Date) -> [JSONValue] {
        let info = node["status"]["nodeInfo"]
        func known(_ value: JSONValue) -> JSONValue {
            .string(value.tableString.isEmpty ? "<unknown>" : value.tableString)
        }
        return [
            .string(node["metadata"]["name"].tableString),
            .string(status(node)),
            .string(roles(node["metadata"]["labels"])),
            .string(TableTime.since(node["metadata"]["creationTimestamp"], now: now)),
            .string(info["kubeletVersion"].tableString),
            .string(address(node, type: "InternalIP")),
            .string(address(node, type: "ExternalIP")),
            known(info["osImage"]), known(info["kernelVersion"]), known(info["containerRuntimeVersion"]),
        ]
    }

    /// `Ready`, `NotReady` or `Unknown` from the Ready condition, plus `,SchedulingDisabled`
    /// for a cordoned node.
    private static func status(_ node: JSONValue) -> String {
        // Go keeps the last condition of each type in a map, so the last Ready entry counts.
        let ready = node["status"]["conditions"].tableList.last { $0["type"].tableString == "Ready" }
        var parts: [String]
        if let ready {
            parts = [ready["status"].tableString == "True" ? "Ready" : "NotReady"]
        } else {
            parts = ["Unknown"]
        }
        if node["spec"]["unschedulable"].tableBool { parts.append("SchedulingDisabled") }
        return parts.joined(separator: ",")
    }

    /// `findNodeRoles`: `node-role.kubernetes.io/<role>` label keys and the value of
    /// `kubernetes.io/role`, sorted; `<none>` without any.
    private static func roles(_ labels: JSONValue) -> String {
        var roles: Set<String> = []
        for (key, value) in labels.objectValue ?? [:] {
            if key.hasPrefix("node-role.kubernetes.io/") {
                let role = String(key.dropFirst("node-role.kubernetes.io/".count))
                if !role.isEmpty { roles.insert(role) }
            } else if key == "kubernetes.io/role", !value.tableString.isEmpty {
                roles.insert(value.tableString)
            }
        }
        return roles.isEmpty ? "<none>" : roles.sorted().joined(separator: ",")
    }

    /// The first address of `type`, `<none>` without one.
    private static func address(_ node: JSONValue, type: String) -> String {
        node["status"]["addresses"].tableList.first { $0["type"].tableString == type }?["address"].tableString
            ?? "<none>"
    }
}
