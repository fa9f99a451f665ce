import SkiffAPI

/// The files a secret, configMap, downwardAPI or projected volume holds, computed as the
/// kubelet's volume plugins compute them (`MakePayload`, `CollectData`), keyed by cleaned
/// relative path and already checked the way its AtomicWriter checks them. Writing them
/// (tmpfs, `..data` symlink swap) is the volume writer's job.
///
/// Every failure is a `PodConfigError` at stage `.volumeSetUp`: the pod stays in
/// `ContainerCreating` and a `FailedMount` event carries the message.
package enum VolumePayload {
    /// 0644, what Kubernetes uses when neither the volume nor the item sets a mode.
    package static let defaultFileMode: UInt32 = 0o644

    /// A `secret` volume. `secret` is the object named by `secretName`, nil when it does not exist.
    package static func secret(source: JSONValue, secret: JSONValue?) throws(PodConfigError) -> [String: FileContent] {
        let name = source["secretName"].stringValue ?? ""
        let optional = source.isOptionalReference
        guard let secret else {
            if optional { return [:] }
            throw PodConfigError.secretNotFound(name, stage: .volumeSetUp)
        }
        let data = try volumeStage { () throws(PodConfigError) in
            try ReferencedObjectData.secretData(secret, namespace: secret.podNamespace, name: name)
        }
        let payload = try makePayload(
            items: source["items"], defaultMode: mode(source["defaultMode"]), optional: optional,
            lookup: { data[$0] }, missingKey: { "references non-existent secret key: \($0)" },
            allKeys: Set(data.keys))
        return try PayloadPath.validated(payload)
    }

    /// A `configMap` volume: `data` as text and `binaryData` as bytes.
    package static func configMap(source: JSONValue, configMap: JSONValue?) throws(PodConfigError) -> [String: FileContent] {
        try PayloadPath.validated(configMapFiles(source: source, defaultMode: mode(source["defaultMode"]), configMap: configMap))
    }

    /// A `downwardAPI` volume. Field references may only name metadata (as validation
    /// requires of volumes); resource references name their container and fall back to the
    /// node's allocatable amount for a missing limit.
    package static func downwardAPI(
        source: JSONValue, pod: JSONValue, nodeAllocatable: NodeAllocatable
    ) throws(PodConfigError) -> [String: FileContent] {
        let (payload, errors) = downwardAPIFiles(
            items: source["items"], defaultMode: mode(source["defaultMode"]), pod: pod, nodeAllocatable: nodeAllocatable)
        if let error = aggregate(errors) { throw error }
        return try PayloadPath.validated(payload)
    }

    /// A `projected` volume of secrets, configMaps and downward API items, one shared
    /// `defaultMode`; later sources overwrite earlier files of the same path. Failures of
    /// all sources are reported together, as the kubelet aggregates them.
    /// `serviceAccountToken` and `clusterTrustBundle` sources are not produced here.
    package static func projected(
        source: JSONValue, pod: JSONValue, objects: ProjectedObjects, nodeAllocatable: NodeAllocatable
    ) throws(PodConfigError) -> [String: FileContent] {
        let defaultMode = mode(source["defaultMode"])
        var payload: [String: FileContent] = [:]
        var errors: [String] = []
        for projection in source["sources"].arrayValue ?? [] {
            do throws(PodConfigError) {
                if projection["secret"].objectValue != nil {
                    let reference = projection["secret"]
                    let name = reference["name"].stringValue ?? ""
                    let optional = reference.isOptionalReference
                    let data: [String: [UInt8]]
                    if let secret = objects.secrets[name] {
                        data = try ReferencedObjectData.secretData(secret, namespace: pod.podNamespace, name: name)
                    } else if optional {
                        data = [:]
                    } else {
                        throw PodConfigError.secretNotFound(name, stage: .volumeSetUp)
                    }
                    let files = try makePayload(
                        items: reference["items"], defaultMode: defaultMode, optional: optional,
                        lookup: { data[$0] }, missingKey: { "references non-existent secret key: \($0)" },
                        allKeys: Set(data.keys))
                    payload.merge(files) { $1 }
                } else if projection["configMap"].objectValue != nil {
                    let reference = projection["configMap"]
                    let files = try configMapFiles(
                        source: reference, defaultMode: defaultMode,
                        configMap: objects.configMaps[reference["name"].stringValue ?? ""])
                    payload.merge(files) { $1 }
                } else if projection["downwardAPI"].objectValue != nil {
                    let (files, failures) = downwardAPIFiles(
                        items: projection["downwardAPI"]["items"], defaultMode: defaultMode, pod: pod,
                        nodeAllocatable: nodeAllocatable)
                    if let error = aggregate(failures) { throw error }
                    payload.merge(files) { $1 }
                }
            } catch {
                errors.append(error.message)
            }
        }
        if let error = aggregate(errors) { throw error }
        return try PayloadPath.validated(payload)
    }

    // MARK: - Shared rules

    private static func configMapFiles(
        source: JSONValue, defaultMode: UInt32, configMap: JSONValue?
    ) throws(PodConfigError) -> [String: FileContent] {
        let name = source["name"].stringValue ?? ""
        let optional = source.isOptionalReference
        guard let configMap else {
            if optional { return [:] }
            throw PodConfigError.configMapNotFound(name, stage: .volumeSetUp)
        }
        let text = ReferencedObjectData.configMapText(configMap)
        let binary = try volumeStage { () throws(PodConfigError) in
            try ReferencedObjectData.configMapBinary(configMap, namespace: configMap.podNamespace, name: name)
        }
        return try makePayload(
            items: source["items"], defaultMode: defaultMode, optional: optional,
            lookup: { key in text[key].map { Array($0.utf8) } ?? binary[key] },
            missingKey: { "configmap references non-existent config key: \($0)" },
            allKeys: Set(text.keys).union(binary.keys))
    }

    /// `MakePayload`: without `items` every key becomes a file of that name; with `items`
    /// only the listed keys, at their paths and modes, a missing key failing unless optional.
    private static func makePayload(
        items: JSONValue, defaultMode: UInt32, optional: Bool, lookup: (String) -> [UInt8]?,
        missingKey: (String) -> String, allKeys: Set<String>
    ) throws(PodConfigError) -> [String: FileContent] {
        var payload: [String: FileContent] = [:]
        let mappings = items.arrayValue ?? []
        if mappings.isEmpty {
            for key in allKeys {
                guard let bytes = lookup(key) else { continue }
                payload[key] = FileContent(bytes: bytes, mode: defaultMode)
            }
            return payload
        }
        for mapping in mappings {
            let key = mapping["key"].stringValue ?? ""
            guard let bytes = lookup(key) else {
                if optional { continue }
                throw PodConfigError(missingKey(key), stage: .volumeSetUp)
            }
            let itemMode = mapping["mode"].isNull ? defaultMode : mode(mapping["mode"])
            payload[mapping["path"].stringValue ?? ""] = FileContent(bytes: bytes, mode: itemMode)
        }
        return payload
    }

    /// `downwardapi.CollectData`: every item is attempted and the failures returned together;
    /// an item that fails still leaves an (empty) file behind, as in Kubernetes.
    private static func downwardAPIFiles(
        items: JSONValue, defaultMode: UInt32, pod: JSONValue, nodeAllocatable: NodeAllocatable
    ) -> ([String: FileContent], [String]) {
        var payload: [String: FileContent] = [:]
        var errors: [String] = []
        for item in items.arrayValue ?? [] {
            let path = PayloadPath.clean(item["path"].stringValue ?? "")
            var file = FileContent(bytes: [], mode: item["mode"].isNull ? defaultMode : mode(item["mode"]))
            do throws(PodConfigError) {
                if item["fieldRef"].objectValue != nil {
                    file.bytes = Array(try PodFieldPath.metadataValue(item["fieldRef"]["fieldPath"].stringValue ?? "", pod: pod).utf8)
                } else if item["resourceFieldRef"].objectValue != nil {
                    file.bytes = Array(
                        try ContainerResourceField.value(
                            reference: item["resourceFieldRef"], pod: pod, container: nil, nodeAllocatable: nodeAllocatable
                        ).utf8)
                }
            } catch {
                errors.append(error.message)
            }
            payload[path] = file
        }
        return (payload, errors)
    }

    /// A mode member as JSON carries it; absent means 0644.
    private static func mode(_ json: JSONValue) -> UInt32 {
        guard let value = json.int64Value else { return defaultFileMode }
        return UInt32(clamping: value)
    }

    /// apimachinery's `NewAggregate(...).Error()`: one message alone, several (duplicates
    /// dropped) as `[a, b]`.
    private static func aggregate(_ messages: [String]) -> PodConfigError? {
        var unique: [String] = []
        for message in messages where !unique.contains(message) { unique.append(message) }
        switch unique.count {
        case 0: return nil
        case 1: return PodConfigError(unique[0], stage: .volumeSetUp)
        default: return PodConfigError("[" + unique.joined(separator: ", ") + "]", stage: .volumeSetUp)
        }
    }

    /// Re-labels a data-decoding failure as a volume failure.
    private static func volumeStage<T>(_ body: () throws(PodConfigError) -> T) throws(PodConfigError) -> T {
        do { return try body() } catch { throw PodConfigError(error.message, stage: .volumeSetUp) }
    }
}

/// The Secrets and ConfigMaps a projected volume names, fetched beforehand so that
/// `VolumePayload.projected` stays pure; a name missing from a map does not exist.
package struct ProjectedObjects: Sendable {
    package var secrets: [String: JSONValue]
    package var configMaps: [String: JSONValue]

    package init(secrets: [String: JSONValue] = [:], configMaps: [String: JSONValue] = [:]) {
        self.secrets = secrets
        self.configMaps = configMaps
    }

    /// Fetches every Secret and ConfigMap `source` (a `projected` volume source) names, once each.
    package static func fetch(
        for source: JSONValue, namespace: String, from objectSource: any PodObjectSource
    ) async throws -> ProjectedObjects {
        var cache = PodObjectCache(namespace: namespace, source: objectSource)
        var objects = ProjectedObjects()
        for projection in source["sources"].arrayValue ?? [] {
            if let name = projection["secret"]["name"].stringValue, let secret = try await cache.secret(name) {
                objects.secrets[name] = secret
            }
            if let name = projection["configMap"]["name"].stringValue, let configMap = try await cache.configMap(name) {
                objects.configMaps[name] = configMap
            }
        }
        return objects
    }
}
