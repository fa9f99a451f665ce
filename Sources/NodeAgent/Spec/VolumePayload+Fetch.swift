import SkiffAPI

extension VolumePayload {
    /// The files of one pod volume, fetching what it refers to through `source`; nil for a
    /// volume that is not a secret, configMap, downwardAPI or projected volume.
    /// Transport errors from `source` propagate as they are.
    package static func resolve(
        volume: JSONValue, pod: JSONValue, source: any PodObjectSource, nodeAllocatable: NodeAllocatable
    ) async throws -> [String: FileContent]? {
        let namespace = pod.podNamespace
        if volume["secret"].objectValue != nil {
            let volumeSource = volume["secret"]
            let object = try await source.secret(namespace: namespace, name: volumeSource["secretName"].stringValue ?? "")
            return try secret(source: volumeSource, secret: object)
        }
        if volume["configMap"].objectValue != nil {
            let volumeSource = volume["configMap"]
            let object = try await source.configMap(namespace: namespace, name: volumeSource["name"].stringValue ?? "")
            return try configMap(source: volumeSource, configMap: object)
        }
        if volume["downwardAPI"].objectValue != nil {
            return try downwardAPI(source: volume["downwardAPI"], pod: pod, nodeAllocatable: nodeAllocatable)
        }
        if volume["projected"].objectValue != nil {
            let volumeSource = volume["projected"]
            let objects = try await ProjectedObjects.fetch(for: volumeSource, namespace: namespace, from: source)
            return try projected(source: volumeSource, pod: pod, objects: objects, nodeAllocatable: nodeAllocatable)
        }
        return nil
    }
}
