import SkiffAPI

/// The container, volume and pod-template sections shared by `describe pod`,
/// `describe deployment` and `rollout history --revision`, in kubectl's layout.
public enum PodTemplateDescriber {
    /// `rollout history --revision=N`'s body: the `Pod Template:` section alone, with its tabs
    /// left in (kubectl prints it without aligning); `aligned` lays it out as `describe` does.
    public static func describe(_ template: JSONValue, aligned: Bool = false) -> String {
        var writer = DescribeWriter(aligned: aligned)
        podTemplate(template, into: &writer)
        return writer.text()
    }

    /// `Pod Template:` with labels, annotations, containers, volumes and scheduling hints.
    static func podTemplate(_ template: JSONValue, into w: inout DescribeWriter) {
        w.write(0, "Pod Template:\n")
        guard template.objectValue != nil else {
            w.write(1, "<unset>")
            return
        }
        w.labels("  Labels", template["metadata"]["labels"].stringMapValue ?? [:])
        let annotations = template["metadata"]["annotations"].stringMapValue ?? [:]
        if !annotations.isEmpty { w.annotations("  Annotations", annotations) }
        let spec = template["spec"]
        if let account = spec["serviceAccountName"].stringValue, !account.isEmpty {
            w.write(1, "Service Account:\t\(account)\n")
        }
        if let initContainers = spec["initContainers"].arrayValue, !initContainers.isEmpty {
            containers("Init Containers", initContainers, statuses: nil, into: &w, space: "  ")
        }
        containers("Containers", spec["containers"].arrayValue ?? [], statuses: nil, into: &w, space: "  ")
        volumes(spec["volumes"].arrayValue ?? [], into: &w, space: "  ")
        if let priorityClass = spec["priorityClassName"].stringValue, !priorityClass.isEmpty {
            w.write(1, "Priority Class Name:\t\(priorityClass)\n")
        }
        w.labels("  Node-Selectors", spec["nodeSelector"].stringMapValue ?? [:])
        tolerations("  Tolerations", spec["tolerations"].arrayValue ?? [], into: &w)
    }

    /// The `Containers:` section; `statuses` (a pod's) adds IDs, state, readiness, restarts.
    static func containers(_ label: String, _ containers: [JSONValue], statuses: [JSONValue]?, into w: inout DescribeWriter, space: String) {
        var byName: [String: JSONValue] = [:]
        for status in statuses ?? [] { byName[status["name"].stringValue ?? ""] = status }
        w.write(0, "\(space)\(label):\(containers.isEmpty ? " <none>" : "")\n")
        for container in containers {
            let name = container["name"].stringValue ?? ""
            let status = byName[name]
            w.write(1, "\(space.isEmpty ? "" : " ")\(name):\n")
            if let status { w.write(2, "Container ID:\t\(status["containerID"].stringValue ?? "")\n") }
            w.write(2, "Image:\t\(container["image"].stringValue ?? "")\n")
            if let status { w.write(2, "Image ID:\t\(status["imageID"].stringValue ?? "")\n") }
            let ports = container["ports"].arrayValue ?? []
            let portText = ports.map { "\($0["containerPort"].int64Value ?? 0)/\($0["protocol"].stringValue ?? "TCP")" }
                .joined(separator: ", ")
            w.write(2, portText.contains(",") ? "Ports:\t\(portText)\n" : "Port:\t\(portText.isEmpty ? "<none>" : portText)\n")
            let hostText = ports.map { "\($0["hostPort"].int64Value ?? 0)/\($0["protocol"].stringValue ?? "TCP")" }
                .joined(separator: ", ")
            w.write(2, hostText.contains(",") ? "Host Ports:\t\(hostText)\n" : "Host Port:\t\(hostText.isEmpty ? "<none>" : hostText)\n")
            for (title, field) in [("Command", "command"), ("Args", "args")] {
                guard let values = container[field].arrayValue, !values.isEmpty else { continue }
                w.write(2, "\(title):\n")
                for value in values {
                    for line in (value.stringValue ?? "").split(separator: "\n", omittingEmptySubsequences: false) {
                        w.write(3, "\(line)\n")
                    }
                }
            }
            if let status { containerState(status, into: &w) }
            for (title, field) in [("Limits", "limits"), ("Requests", "requests")] {
                guard let resources = container["resources"][field].objectValue, !resources.isEmpty else { continue }
                w.write(2, "\(title):\n")
                for key in resources.keys.sorted() {
                    w.write(3, "\(key):\t\(TablePrinter.cellText(resources[key] ?? .null))\n")
                }
            }
            for (title, field) in [("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"), ("Startup", "startupProbe")] {
                if container[field].objectValue != nil { w.write(2, "\(title):\t\(probe(container[field]))\n") }
            }
            environment(container, into: &w)
            mounts(container, into: &w)
        }
    }

    private static func containerState(_ status: JSONValue, into w: inout DescribeWriter) {
        state("State", status["state"], into: &w)
        if status["lastState"]["terminated"].objectValue != nil { state("Last State", status["lastState"], into: &w) }
        w.write(2, "Ready:\t\(status["ready"].boolValue == true ? "True" : "False")\n")
        w.write(2, "Restart Count:\t\(status["restartCount"].int64Value ?? 0)\n")
    }

    private static func state(_ title: String, _ state: JSONValue, into w: inout DescribeWriter) {
        if state["running"].objectValue != nil {
            w.write(2, "\(title):\tRunning\n")
            w.write(3, "Started:\t\(DescribeWriter.time(state["running"]["startedAt"].stringValue))\n")
        } else if let waiting = state["waiting"].objectValue {
            w.write(2, "\(title):\tWaiting\n")
            if let reason = waiting["reason"]?.stringValue, !reason.isEmpty { w.write(3, "Reason:\t\(reason)\n") }
        } else if state["terminated"].objectValue != nil {
            let terminated = state["terminated"]
            w.write(2, "\(title):\tTerminated\n")
            if let reason = terminated["reason"].stringValue, !reason.isEmpty { w.write(3, "Reason:\t\(reason)\n") }
            if let message = terminated["message"].stringValue, !message.isEmpty { w.write(3, "Message:\t\(message)\n") }
            w.write(3, "Exit Code:\t\(terminated["exitCode"].int64Value ?? 0)\n")
            if let signal = terminated["signal"].int64Value, signal > 0 { w.write(3, "Signal:\t\(signal)\n") }
            w.write(3, "Started:\t\(DescribeWriter.time(terminated["startedAt"].stringValue))\n")
            w.write(3, "Finished:\t\(DescribeWriter.time(terminated["finishedAt"].stringValue))\n")
        } else {
            w.write(2, "\(title):\tWaiting\n")
        }
    }

    /// `http-get http://:8083/ delay=0s timeout=1s period=10s #success=1 #failure=3`.
    static func probe(_ probe: JSONValue) -> String {
        let attributes = "delay=\(probe["initialDelaySeconds"].int64Value ?? 0)s timeout=\(probe["timeoutSeconds"].int64Value ?? 1)s "
            + "period=\(probe["periodSeconds"].int64Value ?? 10)s #success=\(probe["successThreshold"].int64Value ?? 1) "
            + "#failure=\(probe["failureThreshold"].int64Value ?? 3)"
        if let command = probe["exec"]["command"].arrayValue {
            return "exec [\(command.compactMap(\.stringValue).joined(separator: " "))] \(attributes)"
        }
        if probe["httpGet"].objectValue != nil {
            let get = probe["httpGet"]
            let scheme = (get["scheme"].stringValue ?? "HTTP").lowercased()
            let host = get["host"].stringValue ?? ""
            let port = TablePrinter.cellText(get["port"])
            let authority = port.isEmpty ? host : (host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
            return "http-get \(scheme)://\(authority)\(get["path"].stringValue ?? "") \(attributes)"
        }
        if probe["tcpSocket"].objectValue != nil {
            return "tcp-socket \(probe["tcpSocket"]["host"].stringValue ?? ""):\(TablePrinter.cellText(probe["tcpSocket"]["port"])) \(attributes)"
        }
        return "unknown \(attributes)"
    }

    private static func environment(_ container: JSONValue, into w: inout DescribeWriter) {
        if let sources = container["envFrom"].arrayValue, !sources.isEmpty {
            w.write(2, "Environment Variables from:\n")
            for source in sources {
                let (from, reference) = source["configMapRef"].objectValue != nil
                    ? ("ConfigMap", source["configMapRef"]) : ("Secret", source["secretRef"])
                let optional = reference["optional"].boolValue == true
                let name = reference["name"].stringValue ?? ""
                if let prefix = source["prefix"].stringValue, !prefix.isEmpty {
                    w.write(3, "\(name)\t\(from) with prefix '\(prefix)'\tOptional: \(optional)\n")
                } else {
                    w.write(3, "\(name)\t\(from)\tOptional: \(optional)\n")
                }
            }
        }
        let variables = container["env"].arrayValue ?? []
        w.write(2, "Environment:\(variables.isEmpty ? "\t<none>" : "")\n")
        for variable in variables {
            let name = variable["name"].stringValue ?? ""
            let from = variable["valueFrom"]
            if from.objectValue == nil {
                for (index, line) in (variable["value"].stringValue ?? "").split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    w.write(3, index == 0 ? "\(name):\t\(line)\n" : "\t\(line)\n")
                }
            } else if from["fieldRef"].objectValue != nil {
                w.write(3, "\(name):\t (\(from["fieldRef"]["apiVersion"].stringValue ?? "v1"):\(from["fieldRef"]["fieldPath"].stringValue ?? ""))\n")
            } else if from["resourceFieldRef"].objectValue != nil {
                w.write(3, "\(name):\t (\(from["resourceFieldRef"]["resource"].stringValue ?? ""))\n")
            } else if from["secretKeyRef"].objectValue != nil {
                let reference = from["secretKeyRef"]
                w.write(3, "\(name):\t<set to the key '\(reference["key"].stringValue ?? "")' in secret '\(reference["name"].stringValue ?? "")'>\tOptional: \(reference["optional"].boolValue == true)\n")
            } else if from["configMapKeyRef"].objectValue != nil {
                let reference = from["configMapKeyRef"]
                w.write(3, "\(name):\t<set to the key '\(reference["key"].stringValue ?? "")' of config map '\(reference["name"].stringValue ?? "")'>\tOptional: \(reference["optional"].boolValue == true)\n")
            }
        }
    }

    private static func mounts(_ container: JSONValue, into w: inout DescribeWriter) {
        let mounts = (container["volumeMounts"].arrayValue ?? []).sorted {
            ($0["mountPath"].stringValue ?? "") < ($1["mountPath"].stringValue ?? "")
        }
        w.write(2, "Mounts:\(mounts.isEmpty ? "\t<none>" : "")\n")
        for mount in mounts {
            var flags = [mount["readOnly"].boolValue == true ? "ro" : "rw"]
            if let subPath = mount["subPath"].stringValue, !subPath.isEmpty { flags.append("path=\(GoQuote.quote(subPath))") }
            w.write(3, "\(mount["mountPath"].stringValue ?? "") from \(mount["name"].stringValue ?? "") (\(flags.joined(separator: ",")))\n")
        }
    }

    /// The `Volumes:` section for the common volume types.
    static func volumes(_ volumes: [JSONValue], into w: inout DescribeWriter, space: String) {
        guard !volumes.isEmpty else {
            w.write(0, "\(space)Volumes:\t<none>\n")
            return
        }
        w.write(0, "\(space)Volumes:\n")
        for volume in volumes {
            w.write(1, "\(space.isEmpty ? "" : " ")\(volume["name"].stringValue ?? ""):\n")
            if volume["secret"].objectValue != nil {
                w.write(2, "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t\(volume["secret"]["secretName"].stringValue ?? "")\n    Optional:\t\(volume["secret"]["optional"].boolValue == true)\n")
            } else if volume["configMap"].objectValue != nil {
                w.write(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t\(volume["configMap"]["name"].stringValue ?? "")\n    Optional:\t\(volume["configMap"]["optional"].boolValue == true)\n")
            } else if volume["emptyDir"].objectValue != nil {
                let limit = volume["emptyDir"]["sizeLimit"].isNull ? "<unset>" : TablePrinter.cellText(volume["emptyDir"]["sizeLimit"])
                w.write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t\(volume["emptyDir"]["medium"].stringValue ?? "")\n    SizeLimit:\t\(limit)\n")
            } else if volume["hostPath"].objectValue != nil {
                w.write(2, "Type:\tHostPath (bare host directory volume)\n    Path:\t\(volume["hostPath"]["path"].stringValue ?? "")\n    HostPathType:\t\(volume["hostPath"]["type"].stringValue ?? "<none>")\n")
            } else if volume["persistentVolumeClaim"].objectValue != nil {
                w.write(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t\(volume["persistentVolumeClaim"]["claimName"].stringValue ?? "")\n    ReadOnly:\t\(volume["persistentVolumeClaim"]["readOnly"].boolValue == true)\n")
            } else if volume["projected"].objectValue != nil {
                w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
                for source in volume["projected"]["sources"].arrayValue ?? [] {
                    if source["secret"].objectValue != nil {
                        w.write(2, "SecretName:\t\(source["secret"]["name"].stringValue ?? "")\n    Optional:\t\(source["secret"]["optional"].boolValue == true)\n")
                    } else if source["downwardAPI"].objectValue != nil {
                        w.write(2, "DownwardAPI:\ttrue\n")
                    } else if source["configMap"].objectValue != nil {
                        w.write(2, "ConfigMapName:\t\(source["configMap"]["name"].stringValue ?? "")\n    Optional:\t\(source["configMap"]["optional"].boolValue == true)\n")
                    } else if source["serviceAccountToken"].objectValue != nil {
                        w.write(2, "TokenExpirationSeconds:\t\(source["serviceAccountToken"]["expirationSeconds"].int64Value ?? 3607)\n")
                    }
                }
            } else if volume["downwardAPI"].objectValue != nil {
                w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
                for item in volume["downwardAPI"]["items"].arrayValue ?? [] {
                    let source = item["fieldRef"]["fieldPath"].stringValue ?? item["resourceFieldRef"]["resource"].stringValue ?? ""
                    w.write(3, "\(source) -> \(item["path"].stringValue ?? "")\n")
                }
            } else {
                w.write(1, "<unknown>\n")
            }
        }
    }

    /// `Tolerations:  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s`.
    static func tolerations(_ title: String, _ tolerations: [JSONValue], into w: inout DescribeWriter) {
        w.write(0, "\(title):\t")
        guard !tolerations.isEmpty else {
            w.write(0, "<none>\n")
            return
        }
        let sorted = tolerations.sorted { ($0["key"].stringValue ?? "") < ($1["key"].stringValue ?? "") }
        for (index, toleration) in sorted.enumerated() {
            if index > 0 { w.write(0, "\t") }
            let key = toleration["key"].stringValue ?? ""
            let value = toleration["value"].stringValue ?? ""
            let effect = toleration["effect"].stringValue ?? ""
            var text = key
            if !value.isEmpty { text += "=\(value)" }
            if !effect.isEmpty { text += ":\(effect)" }
            if toleration["operator"].stringValue == "Exists" && value.isEmpty {
                text += key.isEmpty && effect.isEmpty ? "op=Exists" : " op=Exists"
            }
            if let seconds = toleration["tolerationSeconds"].int64Value { text += " for \(seconds)s" }
            w.write(0, text + "\n")
        }
    }
}
