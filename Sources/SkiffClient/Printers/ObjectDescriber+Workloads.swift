import SkiffAPI

/// `describe deployment` and `describe replicaset`: replicas, strategy, the pod template,
/// conditions and (for a Deployment) its old and new ReplicaSets.
extension ObjectDescriber {
    static func deployment(_ deployment: JSONValue, context: DescribeContext, into w: inout DescribeWriter) {
        let spec = deployment["spec"]
        let status = deployment["status"]
        header(deployment, into: &w)
        w.write(0, "CreationTimestamp:\t\(DescribeWriter.time(deployment["metadata"]["creationTimestamp"].stringValue))\n")
        w.labels("Labels", deployment["metadata"]["labels"].stringMapValue ?? [:])
        w.annotations("Annotations", deployment["metadata"]["annotations"].stringMapValue ?? [:])
        w.write(0, "Selector:\t\(selectorText(spec["selector"]))\n")
        w.write(
            0,
            "Replicas:\t\(spec["replicas"].int64Value ?? 1) desired | \(status["updatedReplicas"].int64Value ?? 0) updated | "
                + "\(status["replicas"].int64Value ?? 0) total | \(status["availableReplicas"].int64Value ?? 0) available | "
                + "\(status["unavailableReplicas"].int64Value ?? 0) unavailable\n")
        w.write(0, "StrategyType:\t\(spec["strategy"]["type"].stringValue ?? "")\n")
        w.write(0, "MinReadySeconds:\t\(spec["minReadySeconds"].int64Value ?? 0)\n")
        if spec["strategy"]["rollingUpdate"].objectValue != nil {
            let rolling = spec["strategy"]["rollingUpdate"]
            w.write(
                0,
                "RollingUpdateStrategy:\t\(TablePrinter.cellText(rolling["maxUnavailable"])) max unavailable, "
                    + "\(TablePrinter.cellText(rolling["maxSurge"])) max surge\n")
        }
        PodTemplateDescriber.podTemplate(spec["template"], into: &w)
        conditions(status["conditions"].arrayValue ?? [], into: &w)
        let uid = deployment["metadata"]["uid"].stringValue
        let owned = context.replicaSets.filter { uid != nil && $0.metadata.controllerReference?.uid == uid }
        if !owned.isEmpty {
            let template = withoutHash(spec["template"])
            // The new ReplicaSet runs the current template; kubectl lists every other one as old,
            // scaled down or not.
            let newSet = owned.first { withoutHash($0["spec"]["template"]) == template }
            let oldSets = owned.filter { $0 != newSet }
            w.write(0, "OldReplicaSets:\t\(replicaSetList(oldSets))\n")
            w.write(0, "NewReplicaSet:\t\(replicaSetList(newSet.map { [$0] } ?? []))\n")
        }
    }

    static func withoutHash(_ template: JSONValue) -> JSONValue {
        var template = template.removingNullFields()
        template[path: ["metadata", "labels", "pod-template-hash"]] = .null
        return template
    }

    static func replicaSetList<S: Sequence>(_ sets: S) -> String where S.Element == JSONValue {
        let items = sets.map {
            "\($0["metadata"]["name"].stringValue ?? "") (\($0["status"]["replicas"].int64Value ?? 0)/\($0["spec"]["replicas"].int64Value ?? 0) replicas created)"
        }
        return items.isEmpty ? "<none>" : items.joined(separator: ", ")
    }

    static func conditions(_ conditions: [JSONValue], into w: inout DescribeWriter) {
        guard !conditions.isEmpty else { return }
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for condition in conditions {
            w.write(
                1,
                "\(condition["type"].stringValue ?? "") \t\(condition["status"].stringValue ?? "")\t\(condition["reason"].stringValue ?? "")\n")
        }
    }

    static func replicaSet(_ replicaSet: JSONValue, context: DescribeContext, into w: inout DescribeWriter) {
        header(replicaSet, into: &w)
        w.write(0, "Selector:\t\(selectorText(replicaSet["spec"]["selector"]))\n")
        w.labels("Labels", replicaSet["metadata"]["labels"].stringMapValue ?? [:])
        w.annotations("Annotations", replicaSet["metadata"]["annotations"].stringMapValue ?? [:])
        if let controller = replicaSet.metadata.controllerReference {
            w.write(0, "Controlled By:\t\(controller.kind)/\(controller.name)\n")
        }
        w.write(
            0,
            "Replicas:\t\(replicaSet["status"]["replicas"].int64Value ?? 0) current / \(replicaSet["spec"]["replicas"].int64Value ?? 1) desired\n")
        var counts: [String: Int] = [:]
        for pod in context.controlledPods { counts[pod["status"]["phase"].stringValue ?? "Pending", default: 0] += 1 }
        w.write(
            0,
            "Pods Status:\t\(counts["Running"] ?? 0) Running / \(counts["Pending"] ?? 0) Waiting / \(counts["Succeeded"] ?? 0) Succeeded / \(counts["Failed"] ?? 0) Failed\n")
        PodTemplateDescriber.podTemplate(replicaSet["spec"]["template"], into: &w)
        conditions(replicaSet["status"]["conditions"].arrayValue ?? [], into: &w)
    }
}
