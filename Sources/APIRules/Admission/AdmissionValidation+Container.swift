import SkiffAPI

extension Admission {
    /// `validateContainerCommon` and what it calls: name, image, ports, env, mounts, pull policy.
    enum ContainerValidation {
        static let protocols = ["SCTP", "TCP", "UDP"]
        static let pullPolicies = ["Always", "IfNotPresent", "Never"]
        static let terminationMessagePolicies = ["File", "FallbackToLogsOnError"]
        static let mountPropagations = ["Bidirectional", "HostToContainer", "None"]
        static let envFieldPaths = [
            "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
            "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
        ]
        /// Every path `ConvertDownwardAPIFieldLabel` accepts for v1; others fail to convert.
        static let convertibleFieldPaths: Set<String> = [
            "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
            "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName",
            "status.phase", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
        ]
        static let resourceFieldPaths = [
            "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage",
            "requests.memory",
        ]

        /// What the pod around a container contributes to its checks.
        struct Context {
            /// Valid volumes by name.
            var volumes: [String: JSONValue]
            /// Mount paths must be absolute, except in Windows pods.
            var requireAbsoluteMountPaths: Bool
        }

        static func common(_ container: JSONValue, context: Context, at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            let name = container.stringField("name")
            if name.isEmpty {
                errors.append(path.child("name").required())
            } else {
                errors += path.child("name").invalid(name, messages: NameValidation.dns1123Label(name))
            }
            if container.isZeroField("image") { errors.append(path.child("image").required()) }
            let messagePolicy = container.stringField("terminationMessagePolicy")
            if messagePolicy.isEmpty {
                errors.append(path.child("terminationMessagePolicy").required())
            } else if !terminationMessagePolicies.contains(messagePolicy) {
                errors.append(path.child("terminationMessagePolicy").notSupported(
                    .string(messagePolicy), terminationMessagePolicies))
            }
            errors += ports(container.listField("ports"), at: path.child("ports"))
            errors += environment(container.listField("env"), at: path.child("env"))
            errors += environmentSources(container.listField("envFrom"), at: path.child("envFrom"))
            errors += volumeMounts(container, context: context, at: path.child("volumeMounts"))
            errors += volumeDevices(container, volumes: context.volumes, at: path.child("volumeDevices"))
            let pullPolicy = container.stringField("imagePullPolicy")
            if pullPolicy.isEmpty {
                errors.append(path.child("imagePullPolicy").required())
            } else if !pullPolicies.contains(pullPolicy) {
                errors.append(path.child("imagePullPolicy").notSupported(.string(pullPolicy), pullPolicies))
            }
            errors += ResourceValidation.requirements(container["resources"], at: path.child("resources"))
            return errors
        }

        static func ports(_ ports: [JSONValue], at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            var names: Set<String> = []
            for (index, port) in ports.enumerated() {
                let portPath = path.index(index)
                let name = port.stringField("name")
                if !name.isEmpty {
                    let problems = NameRules.portName(name)
                    if !problems.isEmpty {
                        errors += portPath.child("name").invalid(name, messages: problems)
                    } else if names.contains(name) {
                        errors.append(portPath.child("name").duplicate(.string(name)))
                    } else {
                        names.insert(name)
                    }
                }
                let containerPort = port["containerPort"].int64Value ?? 0
                if containerPort == 0 {
                    errors.append(portPath.child("containerPort").required())
                } else {
                    errors += portNumber(containerPort, at: portPath.child("containerPort"))
                }
                if let hostPort = port["hostPort"].int64Value, hostPort != 0 {
                    errors += portNumber(hostPort, at: portPath.child("hostPort"))
                }
                errors += protocolField(port, at: portPath.child("protocol"))
            }
            return errors
        }

        static func portNumber(_ port: Int64, at path: FieldPath) -> [FieldError] {
            NameValidation.portNumber(port).map { path.invalid(.integer(port), $0) }
        }

        static func protocolField(_ port: JSONValue, at path: FieldPath) -> [FieldError] {
            let value = port.stringField("protocol")
            if value.isEmpty { return [path.required()] }
            return protocols.contains(value) ? [] : [path.notSupported(.string(value), protocols)]
        }

        /// `ValidatePortNumOrName`: a number in range, or an IANA service name.
        static func portNumberOrName(_ value: JSONValue, at path: FieldPath) -> [FieldError] {
            if let name = value.stringValue {
                return path.invalid(name, messages: NameRules.portName(name))
            }
            return portNumber(value.int64Value ?? 0, at: path)
        }

        static func environment(_ variables: [JSONValue], at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            for (index, variable) in variables.enumerated() {
                let variablePath = path.index(index)
                let name = variable.stringField("name")
                if name.isEmpty {
                    errors.append(variablePath.child("name").required())
                } else {
                    errors += variablePath.child("name").invalid(name, messages: NameRules.environmentVariableName(name))
                }
                errors += valueFrom(variable, at: variablePath.child("valueFrom"))
            }
            return errors
        }

        static func valueFrom(_ variable: JSONValue, at path: FieldPath) -> [FieldError] {
            let source = variable["valueFrom"]
            guard source.objectValue != nil else { return [] }
            var errors: [FieldError] = []
            var count = 0
            if source["fieldRef"].objectValue != nil {
                count += 1
                errors += objectFieldSelector(source["fieldRef"], supported: envFieldPaths, at: path.child("fieldRef"))
            }
            if source["resourceFieldRef"].objectValue != nil {
                count += 1
                errors += resourceFieldSelector(
                    source["resourceFieldRef"], requireContainerName: false, at: path.child("resourceFieldRef"))
            }
            for key in ["configMapKeyRef", "secretKeyRef"] where source[key].objectValue != nil {
                count += 1
                errors += keySelector(source[key], at: path.child(key))
            }
            if count == 0 {
                errors.append(path.invalid("", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"))
            } else if !variable.isZeroField("value") {
                errors.append(path.invalid("", "may not be specified when `value` is not empty"))
            } else if count > 1 {
                errors.append(path.invalid("", "may not have more than one field specified at a time"))
            }
            return errors
        }

        /// A downward API `fieldRef`: `metadata.labels['key']` style subscripts, or one of `supported`.
        static func objectFieldSelector(_ selector: JSONValue, supported: [String], at path: FieldPath) -> [FieldError] {
            if selector.isZeroField("apiVersion") { return [path.child("apiVersion").required()] }
            let fieldPath = selector.stringField("fieldPath")
            if fieldPath.isEmpty { return [path.child("fieldPath").required()] }
            if let (base, key) = subscripted(fieldPath) {
                switch base {
                case "metadata.annotations":
                    return path.invalid(key.lowercased(), messages: NameValidation.qualifiedName(key.lowercased()))
                case "metadata.labels":
                    return path.invalid(key, messages: NameValidation.qualifiedName(key))
                default:
                    return [path.child("fieldPath").invalid(.string(fieldPath),
                        "error converting fieldPath: field label does not support subscript: \(fieldPath)")]
                }
            }
            guard convertibleFieldPaths.contains(fieldPath) else {
                return [path.child("fieldPath").invalid(.string(fieldPath),
                    "error converting fieldPath: field label not supported: \(fieldPath)")]
            }
            return supported.contains(fieldPath) ? [] : [path.child("fieldPath").notSupported(.string(fieldPath), supported)]
        }

        /// Splits `metadata.labels['app']` into the path and the key.
        static func subscripted(_ fieldPath: String) -> (String, String)? {
            guard fieldPath.hasSuffix("']"), let open = fieldPath.firstIndex(of: "[") else { return nil }
            let base = String(fieldPath[..<open])
            let inner = fieldPath[fieldPath.index(after: open)..<fieldPath.index(fieldPath.endIndex, offsetBy: -1)]
            guard inner.count >= 2, inner.first == "'", inner.last == "'" else { return nil }
            return (base, String(inner.dropFirst().dropLast()))
        }

        static func resourceFieldSelector(_ selector: JSONValue, requireContainerName: Bool, at path: FieldPath)
            -> [FieldError]
        {
            let resource = selector.stringField("resource")
            if requireContainerName && selector.isZeroField("containerName") {
                return [path.child("containerName").required()]
            }
            if resource.isEmpty { return [path.child("resource").required()] }
            let hugePages = resource.hasPrefix("requests.hugepages-") || resource.hasPrefix("limits.hugepages-")
            if !resourceFieldPaths.contains(resource) && !hugePages {
                return [path.child("resource").notSupported(.string(resource), resourceFieldPaths)]
            }
            return []
        }

        /// `configMapKeyRef` and `secretKeyRef`: a valid object name and a valid key.
        static func keySelector(_ selector: JSONValue, at path: FieldPath) -> [FieldError] {
            let name = selector.stringField("name")
            var errors = path.child("name").invalid(name, messages: NameValidation.dns1123Subdomain(name))
            let key = selector.stringField("key")
            if key.isEmpty {
                errors.append(path.child("key").required())
            } else {
                errors += path.child("key").invalid(key, messages: NameRules.configMapKey(key))
            }
            return errors
        }

        static func environmentSources(_ sources: [JSONValue], at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            for (index, source) in sources.enumerated() {
                let sourcePath = path.index(index)
                let prefix = source.stringField("prefix")
                if !prefix.isEmpty {
                    errors += sourcePath.child("prefix").invalid(prefix, messages: NameRules.environmentVariableName(prefix))
                }
                var count = 0
                for key in ["configMapRef", "secretRef"] where source[key].objectValue != nil {
                    count += 1
                    let name = source[key].stringField("name")
                    if name.isEmpty {
                        errors.append(sourcePath.child(key, "name").required())
                    } else {
                        errors += sourcePath.child(key, "name").invalid(
                            name, messages: NameRules.check(name, rule: .subdomain, prefix: true))
                    }
                }
                if count == 0 {
                    errors.append(path.invalid("", "must specify one of: `configMapRef` or `secretRef`"))
                } else if count > 1 {
                    errors.append(path.invalid("", "may not have more than one field specified at a time"))
                }
            }
            return errors
        }

        static func volumeMounts(_ container: JSONValue, context: Context, at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            var mountPaths: Set<String> = []
            let devices = container.listField("volumeDevices")
            let deviceNames = Set(devices.map { $0.stringField("name") })
            let devicePaths = Set(devices.map { $0.stringField("devicePath") })
            for (index, mount) in container.listField("volumeMounts").enumerated() {
                let mountPath = path.index(index)
                let name = mount.stringField("name")
                if name.isEmpty { errors.append(mountPath.child("name").required()) }
                if context.volumes[name] == nil { errors.append(mountPath.child("name").notFound(.string(name))) }
                let target = mount.stringField("mountPath")
                if target.isEmpty {
                    errors.append(mountPath.child("mountPath").required())
                } else if context.requireAbsoluteMountPaths, !target.hasPrefix("/") {
                    // Not checked by Kubernetes (the runtime fails later); Skiff says so up front.
                    errors.append(mountPath.child("mountPath").invalid(.string(target), "must be an absolute path"))
                }
                if mountPaths.contains(target) {
                    errors.append(mountPath.child("mountPath").invalid(.string(target), "must be unique"))
                }
                mountPaths.insert(target)
                if deviceNames.contains(name) {
                    errors.append(mountPath.child("name").invalid(.string(name), "must not already exist in volumeDevices"))
                }
                if devicePaths.contains(target) {
                    errors.append(mountPath.child("mountPath").invalid(
                        .string(target), "must not already exist as a path in volumeDevices"))
                }
                // Kubernetes names these two without the index.
                let subPath = mount.stringField("subPath")
                if !subPath.isEmpty { errors += PathRules.localDescending(subPath, at: path.child("subPath")) }
                let subPathExpr = mount.stringField("subPathExpr")
                if !subPathExpr.isEmpty {
                    if !subPath.isEmpty {
                        errors.append(mountPath.child("subPathExpr").invalid(
                            .string(subPathExpr), "subPathExpr and subPath are mutually exclusive"))
                    }
                    errors += PathRules.localDescending(subPathExpr, at: path.child("subPathExpr"))
                }
                if let propagation = mount["mountPropagation"].stringValue {
                    let propagationPath = path.child("mountPropagation")
                    if !mountPropagations.contains(propagation) {
                        errors.append(propagationPath.notSupported(.string(propagation), mountPropagations))
                    }
                    if propagation == "Bidirectional", container["securityContext"]["privileged"].boolValue != true {
                        errors.append(propagationPath.forbidden(
                            "Bidirectional mount propagation is available only to privileged containers"))
                    }
                }
            }
            return errors
        }

        static func volumeDevices(_ container: JSONValue, volumes: [String: JSONValue], at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            let mounts = container.listField("volumeMounts")
            let mountNames = Set(mounts.map { $0.stringField("name") })
            let mountPaths = Set(mounts.map { $0.stringField("mountPath") })
            var names: Set<String> = []
            var paths: Set<String> = []
            for (index, device) in container.listField("volumeDevices").enumerated() {
                let devicePath = path.index(index)
                let name = device.stringField("name")
                let target = device.stringField("devicePath")
                if name.isEmpty { errors.append(devicePath.child("name").required()) }
                if names.contains(name) { errors.append(devicePath.child("name").invalid(.string(name), "must be unique")) }
                if let volume = volumes[name] {
                    if volume["persistentVolumeClaim"].isNull && volume["ephemeral"].isNull {
                        errors.append(devicePath.child("name").invalid(.string(name),
                            "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode"))
                    }
                } else {
                    errors.append(devicePath.child("name").notFound(.string(name)))
                }
                if target.isEmpty { errors.append(devicePath.child("devicePath").required()) }
                if paths.contains(target) {
                    errors.append(devicePath.child("devicePath").invalid(.string(target), "must be unique"))
                }
                if !target.isEmpty, target.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
                    errors.append(devicePath.child("devicePath").invalid(.string(target), "can not contain backsteps ('..')"))
                } else {
                    paths.insert(target)
                }
                if mountNames.contains(name) {
                    errors.append(devicePath.child("name").invalid(.string(name), "must not already exist in volumeMounts"))
                }
                if mountPaths.contains(target) {
                    errors.append(devicePath.child("devicePath").invalid(
                        .string(target), "must not already exist as a path in volumeMounts"))
                }
                if !name.isEmpty { names.insert(name) }
            }
            return errors
        }
    }
}
