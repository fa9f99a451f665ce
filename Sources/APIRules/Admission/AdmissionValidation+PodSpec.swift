import SkiffAPI

extension Admission {
    /// `ValidatePodSpec`, shared by Pods and by the pod templates of workloads.
    enum PodSpecValidation {
        static let restartPolicies = ["Always", "OnFailure", "Never"]
        static let dnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
        static let preemptionPolicies = ["PreemptLowerPriority", "Never"]
        static let operatingSystems = ["linux", "windows"]

        /// `isPod` is Kubernetes' `ResourceIsPod`: real Pods are held to a few rules templates are not.
        static func podSpec(_ spec: JSONValue, isPod: Bool, at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            let gracePeriod = spec["terminationGracePeriodSeconds"].int64Value
            if spec.isMissingField("terminationGracePeriodSeconds") {
                errors.append(path.child("terminationGracePeriodSeconds").required())
            }
            let (volumes, volumeErrors) = VolumeValidation.volumes(spec.listField("volumes"), at: path.child("volumes"))
            errors += volumeErrors
            let context = ContainerValidation.Context(
                volumes: volumes, requireAbsoluteMountPaths: spec["os"].stringField("name") != "windows")
            errors += containers(spec.listField("containers"), context: context, gracePeriod: gracePeriod,
                at: path.child("containers"))
            errors += initContainers(spec.listField("initContainers"), regular: spec.listField("containers"), context: context,
                gracePeriod: gracePeriod, at: path.child("initContainers"))
            errors += hostNetworkPorts(spec, isPod: isPod, at: path)
            errors += choice(spec, "restartPolicy", restartPolicies, at: path)
            errors += choice(spec, "dnsPolicy", dnsPolicies, at: path)
            errors += MetaValidation.labels(spec["nodeSelector"], at: path.child("nodeSelector"))
            errors += dnsConfig(spec, at: path.child("dnsConfig"))
            for (index, gate) in spec.listField("readinessGates").enumerated() {
                let condition = gate.stringField("conditionType")
                errors += path.child("readinessGates").index(index).child("conditionType").invalid(
                    condition, messages: NameValidation.qualifiedName(condition))
            }
            errors += schedulingGates(spec.listField("schedulingGates"), at: path.child("schedulingGates"))
            errors += topologySpreadConstraints(spec.listField("topologySpreadConstraints"),
                at: path.child("topologySpreadConstraints"))
            for (field, rule) in [("serviceAccountName", NameRules.Rule.subdomain), ("nodeName", .subdomain)] {
                let value = spec.stringField(field)
                if !value.isEmpty {
                    errors += path.child(field).invalid(value, messages: NameRules.check(value, rule: rule))
                }
            }
            if let deadline = spec["activeDeadlineSeconds"].int64Value, deadline < 1 || deadline > Int64(Int32.max) {
                errors.append(path.child("activeDeadlineSeconds").invalid(
                    .integer(deadline), NameRules.inclusiveRange(1, Int64(Int32.max))))
            }
            for field in ["hostname", "subdomain"] {
                let value = spec.stringField(field)
                if !value.isEmpty {
                    errors += path.child(field).invalid(value, messages: NameValidation.dns1123Label(value))
                }
            }
            errors += TolerationValidation.tolerations(spec.listField("tolerations"), at: path.child("tolerations"))
            errors += hostAliases(spec.listField("hostAliases"), at: path.child("hostAliases"))
            let priorityClass = spec.stringField("priorityClassName")
            if !priorityClass.isEmpty {
                errors += path.child("priorityClassName").invalid(
                    priorityClass, messages: NameValidation.dns1123Subdomain(priorityClass))
            }
            if !spec.isMissingField("preemptionPolicy") {
                errors += choice(spec, "preemptionPolicy", preemptionPolicies, at: path)
            }
            errors += operatingSystem(spec["os"], at: path.child("os"))
            return errors
        }

        /// A required member that must be one of `supported`.
        static func choice(_ object: JSONValue, _ field: String, _ supported: [String], at path: FieldPath) -> [FieldError] {
            let value = object.stringField(field)
            if value.isEmpty { return [path.child(field).required()] }
            return supported.contains(value) ? [] : [path.child(field).notSupported(.string(value), supported)]
        }

        static func containers(_ containers: [JSONValue], context: ContainerValidation.Context, gracePeriod: Int64?,
            at path: FieldPath) -> [FieldError]
        {
            if containers.isEmpty { return [path.required()] }
            var errors: [FieldError] = []
            var names: Set<String> = []
            for (index, container) in containers.enumerated() {
                let containerPath = path.index(index)
                errors += ContainerValidation.common(container, context: context, at: containerPath)
                let name = container.stringField("name")
                if names.contains(name) {
                    errors.append(containerPath.child("name").duplicate(.string(name)))
                } else {
                    names.insert(name)
                }
                if container["lifecycle"].objectValue != nil {
                    errors += ProbeValidation.lifecycle(container["lifecycle"], gracePeriod: gracePeriod,
                        at: containerPath.child("lifecycle"))
                }
                errors += probes(container, gracePeriod: gracePeriod, at: containerPath)
                if !container["restartPolicy"].isNull {
                    errors.append(containerPath.child("restartPolicy").forbidden("may not be set for non-init containers"))
                }
            }
            return errors + hostPortConflicts(containers, at: path)
        }

        static func probes(_ container: JSONValue, gracePeriod: Int64?, at path: FieldPath) -> [FieldError] {
            let kinds: [(String, ProbeValidation.Kind)] = [
                ("livenessProbe", .liveness), ("readinessProbe", .readiness), ("startupProbe", .startup),
            ]
            return kinds.flatMap { field, kind in
                ProbeValidation.probe(container[field], kind: kind, gracePeriod: gracePeriod, at: path.child(field))
            }
        }

        static func initContainers(_ containers: [JSONValue], regular: [JSONValue], context: ContainerValidation.Context,
            gracePeriod: Int64?, at path: FieldPath) -> [FieldError]
        {
            var errors: [FieldError] = []
            var names = Set(regular.map { $0.stringField("name") })
            for (index, container) in containers.enumerated() {
                let containerPath = path.index(index)
                errors += ContainerValidation.common(container, context: context, at: containerPath)
                var restartsAlways = false
                if let policy = container["restartPolicy"].stringValue {
                    if policy == "Always" {
                        restartsAlways = true
                    } else {
                        errors.append(containerPath.child("restartPolicy").notSupported(.string(policy), ["Always"]))
                    }
                }
                let name = container.stringField("name")
                if names.contains(name) {
                    errors.append(containerPath.child("name").duplicate(.string(name)))
                } else if !name.isEmpty {
                    names.insert(name)
                }
                errors += hostPortConflicts([container], at: path)
                if restartsAlways {
                    if container["lifecycle"].objectValue != nil {
                        errors += ProbeValidation.lifecycle(container["lifecycle"], gracePeriod: gracePeriod,
                            at: containerPath.child("lifecycle"))
                    }
                    errors += probes(container, gracePeriod: gracePeriod, at: containerPath)
                } else {
                    for field in ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"]
                    where !container[field].isNull {
                        errors.append(containerPath.child(field).forbidden(
                            "may not be set for init containers without restartPolicy=Always"))
                    }
                }
                if !container.listField("resizePolicy").isEmpty {
                    errors.append(containerPath.child("resizePolicy").invalid(
                        container["resizePolicy"], "must not be set for init containers"))
                }
            }
            return errors
        }

        /// Two containers may not claim the same protocol, host IP and host port.
        static func hostPortConflicts(_ containers: [JSONValue], at path: FieldPath) -> [FieldError] {
            var seen: Set<String> = []
            var errors: [FieldError] = []
            for (containerIndex, container) in containers.enumerated() {
                for (portIndex, port) in container.listField("ports").enumerated() {
                    guard let hostPort = port["hostPort"].int64Value, hostPort != 0 else { continue }
                    let key = "\(port.stringField("protocol"))/\(port.stringField("hostIP"))/\(hostPort)"
                    if !seen.insert(key).inserted {
                        errors.append(path.index(containerIndex).child("ports").index(portIndex).child("hostPort")
                            .duplicate(.string(key)))
                    }
                }
            }
            return errors
        }

        /// With `hostNetwork`, a host port must equal its container port (templates may leave it 0).
        static func hostNetworkPorts(_ spec: JSONValue, isPod: Bool, at path: FieldPath) -> [FieldError] {
            guard spec["hostNetwork"].boolValue == true else { return [] }
            var errors: [FieldError] = []
            for (containerIndex, container) in spec.listField("containers").enumerated() {
                for (portIndex, port) in container.listField("ports").enumerated() {
                    let hostPort = port["hostPort"].int64Value ?? 0
                    let containerPort = port["containerPort"].int64Value ?? 0
                    if (isPod || hostPort != 0) && hostPort != containerPort {
                        errors.append(path.child("containers").index(containerIndex).child("ports").index(portIndex)
                            .child("hostPort").invalid(.integer(hostPort), "must match `containerPort` when `hostNetwork` is true"))
                    }
                }
            }
            return errors
        }

        static func dnsConfig(_ spec: JSONValue, at path: FieldPath) -> [FieldError] {
            let config = spec["dnsConfig"]
            if spec.stringField("dnsPolicy") == "None" {
                if config.objectValue == nil { return [path.required("must provide `dnsConfig` when `dnsPolicy` is None")] }
                if config.listField("nameservers").isEmpty {
                    return [path.child("nameservers").required(
                        "must provide at least one DNS nameserver when `dnsPolicy` is None")]
                }
            }
            guard config.objectValue != nil else { return [] }
            var errors: [FieldError] = []
            let nameservers = config.listField("nameservers")
            if nameservers.count > 3 {
                errors.append(path.child("nameservers").invalid(config["nameservers"], "must not have more than 3 nameservers"))
            }
            for (index, server) in nameservers.enumerated() {
                let address = server.stringValue ?? ""
                if !IPAddress.isValid(address) {
                    errors.append(path.child("nameservers").index(index).invalid(.string(address), IPAddress.invalidMessage))
                }
            }
            let searches = config.listField("searches").map { $0.stringValue ?? "" }
            if searches.count > 32 {
                errors.append(path.child("searches").invalid(config["searches"], "must not have more than 32 search paths"))
            }
            if searches.joined(separator: " ").utf8.count > 2048 {
                errors.append(path.child("searches").invalid(config["searches"],
                    "must not have more than 2048 characters (including spaces) in the search list"))
            }
            for (index, search) in searches.enumerated() {
                let domain = search.hasSuffix(".") ? String(search.dropLast()) : search
                errors += path.child("searches").index(index).invalid(domain, messages: NameValidation.dns1123Subdomain(domain))
            }
            for (index, option) in config.listField("options").enumerated() where option.isZeroField("name") {
                errors.append(path.child("options").index(index).required("must not be empty"))
            }
            return errors
        }

        static func schedulingGates(_ gates: [JSONValue], at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            var seen: Set<String> = []
            for (index, gate) in gates.enumerated() {
                let name = gate.stringField("name")
                errors += path.index(index).invalid(name, messages: NameValidation.qualifiedName(name))
                if !seen.insert(name).inserted { errors.append(path.index(index).duplicate(.string(name))) }
            }
            return errors
        }

        static func topologySpreadConstraints(_ constraints: [JSONValue], at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            let actions = ["DoNotSchedule", "ScheduleAnyway"]
            for (index, constraint) in constraints.enumerated() {
                let constraintPath = path.index(index)
                let maxSkew = constraint["maxSkew"].int64Value ?? 0
                if maxSkew <= 0 {
                    errors.append(constraintPath.child("maxSkew").invalid(.integer(maxSkew), "must be greater than zero"))
                }
                if constraint.isZeroField("topologyKey") {
                    errors.append(constraintPath.child("topologyKey").required("can not be empty"))
                }
                let action = constraint.stringField("whenUnsatisfiable")
                if !actions.contains(action) {
                    errors.append(constraintPath.child("whenUnsatisfiable").notSupported(.string(action), actions))
                }
            }
            return errors
        }

        static func hostAliases(_ aliases: [JSONValue], at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            for (index, alias) in aliases.enumerated() {
                let address = alias.stringField("ip")
                if !IPAddress.isValid(address) {
                    errors.append(path.index(index).child("ip").invalid(.string(address), IPAddress.invalidMessage))
                }
                for (nameIndex, hostname) in alias.listField("hostnames").enumerated() {
                    let name = hostname.stringValue ?? ""
                    errors += path.index(index).child("hostnames").index(nameIndex).invalid(
                        name, messages: NameValidation.dns1123Subdomain(name))
                }
            }
            return errors
        }

        static func operatingSystem(_ os: JSONValue, at path: FieldPath) -> [FieldError] {
            guard os.objectValue != nil else { return [] }
            let name = os.stringField("name")
            if name.isEmpty { return [path.child("name").required("cannot be empty")] }
            return operatingSystems.contains(name) ? [] : [path.notSupported(.string(name), operatingSystems)]
        }
    }
}
