import SkiffAPI

/// A container's environment, built as the kubelet's `makeEnvironmentVariables` builds it.
///
/// Order of work: every `envFrom` source in turn (a ConfigMap's or Secret's keys, with the
/// prefix, invalid names skipped and reported), then every `env` entry in turn. An `env`
/// `value` is expanded against everything defined before it (and the service variables);
/// a `valueFrom` reads a Secret/ConfigMap key, a pod field or a resource amount. Later
/// definitions replace earlier ones. Service-link variables come last, for names not
/// already defined. Any failure stops the container from being created
/// (`CreateContainerConfigError`) until the next sync finds the reference satisfied.
package enum ContainerEnvironment {
    package static func resolve(
        container: JSONValue, pod: JSONValue, source: any PodObjectSource, nodeAllocatable: NodeAllocatable,
        serviceEnvironment: [String: String] = [:]
    ) async throws -> ResolvedEnvironment {
        let namespace = pod.podNamespace
        var objects = PodObjectCache(namespace: namespace, source: source)
        var environment = OrderedEnvironment()
        var skipped: [SkippedEnvFromKeys] = []

        for envFrom in container["envFrom"].arrayValue ?? [] {
            let prefix = envFrom["prefix"].stringValue ?? ""
            let entries: [(String, String)]
            let kind: SkippedEnvFromKeys.SourceKind
            let name: String
            if envFrom["configMapRef"].objectValue != nil {
                let reference = envFrom["configMapRef"]
                name = reference["name"].stringValue ?? ""
                kind = .configMap
                guard let configMap = try await objects.configMap(name) else {
                    if reference.isOptionalReference { continue }
                    throw PodConfigError.configMapNotFound(name)
                }
                entries = ReferencedObjectData.configMapText(configMap).map { ($0.key, $0.value) }
            } else if envFrom["secretRef"].objectValue != nil {
                let reference = envFrom["secretRef"]
                name = reference["name"].stringValue ?? ""
                kind = .secret
                guard let secret = try await objects.secret(name) else {
                    if reference.isOptionalReference { continue }
                    throw PodConfigError.secretNotFound(name)
                }
                entries = try ReferencedObjectData.secretData(secret, namespace: namespace, name: name)
                    .map { ($0.key, String(decoding: $0.value, as: UTF8.self)) }
            } else {
                continue
            }
            var invalid: [String] = []
            for (key, value) in entries.sorted(by: { $0.0 < $1.0 }) {
                let variable = prefix + key
                guard EnvVarName.isValid(variable) else {
                    invalid.append(variable)
                    continue
                }
                environment.set(variable, value)
            }
            if !invalid.isEmpty {
                skipped.append(SkippedEnvFromKeys(kind: kind, namespace: namespace, name: name, keys: invalid.sorted()))
            }
        }

        for entry in container["env"].arrayValue ?? [] {
            let variable = entry["name"].stringValue ?? ""
            let literal = entry["value"].stringValue ?? ""
            let valueFrom = entry["valueFrom"]
            var value = ""
            if !literal.isEmpty {
                value = VariableExpansion.expand(literal) { environment[$0] ?? serviceEnvironment[$0] }
            } else if valueFrom.objectValue != nil {
                guard let resolved = try await resolveSource(
                    valueFrom, container: container, pod: pod, namespace: namespace, objects: &objects,
                    nodeAllocatable: nodeAllocatable)
                else { continue }
                value = resolved
            }
            environment.set(variable, value)
        }

        for name in serviceEnvironment.keys.sorted() where environment[name] == nil {
            environment.set(name, serviceEnvironment[name] ?? "")
        }
        return ResolvedEnvironment(variables: environment.entries, skippedKeys: skipped)
    }

    /// The value of one `valueFrom`; nil when an optional reference is missing, which
    /// leaves the variable undefined rather than empty.
    private static func resolveSource(
        _ valueFrom: JSONValue, container: JSONValue, pod: JSONValue, namespace: String,
        objects: inout PodObjectCache, nodeAllocatable: NodeAllocatable
    ) async throws -> String? {
        if valueFrom["fieldRef"].objectValue != nil {
            let reference = valueFrom["fieldRef"]
            return try PodFieldPath.value(
                reference["fieldPath"].stringValue ?? "", pod: pod, apiVersion: reference["apiVersion"].stringValue)
        }
        if valueFrom["resourceFieldRef"].objectValue != nil {
            return try ContainerResourceField.value(
                reference: valueFrom["resourceFieldRef"], pod: pod, container: container, nodeAllocatable: nodeAllocatable)
        }
        if valueFrom["configMapKeyRef"].objectValue != nil {
            let reference = valueFrom["configMapKeyRef"]
            let name = reference["name"].stringValue ?? ""
            let key = reference["key"].stringValue ?? ""
            guard let configMap = try await objects.configMap(name) else {
                if reference.isOptionalReference { return nil }
                throw PodConfigError.configMapNotFound(name)
            }
            guard let value = ReferencedObjectData.configMapText(configMap)[key] else {
                if reference.isOptionalReference { return nil }
                throw PodConfigError.missingConfigMapKey(key, namespace: namespace, name: name)
            }
            return value
        }
        if valueFrom["secretKeyRef"].objectValue != nil {
            let reference = valueFrom["secretKeyRef"]
            let name = reference["name"].stringValue ?? ""
            let key = reference["key"].stringValue ?? ""
            guard let secret = try await objects.secret(name) else {
                if reference.isOptionalReference { return nil }
                throw PodConfigError.secretNotFound(name)
            }
            guard let bytes = try ReferencedObjectData.secretData(secret, namespace: namespace, name: name)[key] else {
                if reference.isOptionalReference { return nil }
                throw PodConfigError.missingSecretKey(key, namespace: namespace, name: name)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return ""
    }
}

/// Variables in order of first definition; redefining keeps the position, replaces the value.
struct OrderedEnvironment {
    private var names: [String] = []
    private var values: [String: String] = [:]

    mutating func set(_ name: String, _ value: String) {
        if values.updateValue(value, forKey: name) == nil { names.append(name) }
    }

    subscript(name: String) -> String? { values[name] }

    var entries: [String] { names.map { "\($0)=\(values[$0] ?? "")" } }
}
