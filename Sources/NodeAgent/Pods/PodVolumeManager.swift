import Foundation
import NodeRuntime
import SkiffAPI

/// Sets up a pod's volumes on this node and says where each one is, so its
/// containers can bind-mount them: emptyDir, hostPath, secret, configMap,
/// downwardAPI and projected (files on tmpfs, rewritten atomically on every
/// sync so a changed Secret reaches running containers), and
/// persistentVolumeClaim (the bound PersistentVolume's directory).
package struct PodVolumeManager: Sendable {
    package let volumes: PodVolumes
    package let api: AgentAPI
    package let objects: any PodObjectSource
    package let allocatable: NodeAllocatable

    package init(podsDirectory: String, api: AgentAPI, objects: any PodObjectSource, allocatable: NodeAllocatable) {
        self.volumes = PodVolumes(root: podsDirectory)
        self.api = api
        self.objects = objects
        self.allocatable = allocatable
    }

    /// Volume name → host directory. Throws `PodConfigError` (stage
    /// volumeSetUp) when a Secret, ConfigMap or claim is not there yet.
    package func setUp(pod: JSONValue) async throws -> [String: String] {
        let uid = pod.metadata.uid ?? ""
        let namespace = pod.metadata.namespace ?? "default"
        let layout = try volumes.layout(podUID: uid)
        let fsGroup = pod["spec"]["securityContext"]["fsGroup"].int64Value.flatMap(UInt32.init(exactly:))
        var paths: [String: String] = [:]
        for volume in pod["spec"]["volumes"].arrayValue ?? [] {
            let name = volume["name"].stringValue ?? ""
            do {
                paths[name] = try await setUp(volume, name: name, pod: pod, namespace: namespace, layout: layout, fsGroup: fsGroup)
            } catch let error as PodConfigError {
                throw VolumeSetUpError(volume: name, message: error.message)
            } catch let error as VolumeSetUpError {
                throw error
            } catch {
                throw VolumeSetUpError(volume: name, message: "\(error)")
            }
        }
        return paths
    }

    private func setUp(
        _ volume: JSONValue, name: String, pod: JSONValue, namespace: String, layout: PodVolumeLayout, fsGroup: UInt32?
    ) async throws -> String {
        if !volume["emptyDir"].isNull {
            let source = volume["emptyDir"]
            guard let medium = EmptyDirMedium(storageMedium: source["medium"].stringValue ?? "") else {
                throw PodConfigError("emptyDir medium \"\(source["medium"].stringValue ?? "")\" is not supported on this node")
            }
            let limit = try source["sizeLimit"].stringValue.map { text in
                do { return try Quantity(parsing: text).value } catch {
                    throw PodConfigError("emptyDir sizeLimit \"\(text)\" is not a quantity")
                }
            }
            let path = try layout.path(.emptyDir, name: name)
            try await EmptyDirVolume.setUp(at: path, medium: medium, sizeLimitBytes: limit)
            return path
        }
        if !volume["hostPath"].isNull {
            let path = volume["hostPath"]["path"].stringValue ?? ""
            try await HostPathVolume.prepare(path: path, type: volume["hostPath"]["type"].stringValue ?? "")
            return path
        }
        if !volume["persistentVolumeClaim"].isNull {
            return try await claimPath(volume["persistentVolumeClaim"]["claimName"].stringValue ?? "", namespace: namespace)
        }
        let plugin: VolumePlugin
        if !volume["secret"].isNull {
            plugin = .secret
        } else if !volume["configMap"].isNull {
            plugin = .configMap
        } else if !volume["downwardAPI"].isNull {
            plugin = .downwardAPI
        } else if !volume["projected"].isNull {
            plugin = .projected
        } else {
            throw PodConfigError("volume \"\(name)\" has a type this node does not support", stage: .volumeSetUp)
        }
        guard let files = try await VolumePayload.resolve(
            volume: volume, pod: pod, source: objects, nodeAllocatable: allocatable)
        else {
            throw PodConfigError("volume \"\(name)\" has a type this node does not support", stage: .volumeSetUp)
        }
        let path = try layout.path(plugin, name: name)
        _ = try await ProjectedFilesVolume.update(
            at: path, files: files.mapValues { ProjectedFile(bytes: $0.bytes, mode: $0.mode) }, fsGroup: fsGroup)
        return path
    }

    /// The directory of the PersistentVolume bound to the claim.
    private func claimPath(_ claim: String, namespace: String) async throws -> String {
        guard let pvc = try await api.get("/api/v1/namespaces/\(namespace)/persistentvolumeclaims/\(claim)") else {
            throw PodConfigError("persistentvolumeclaim \"\(claim)\" not found")
        }
        guard let volumeName = pvc["spec"]["volumeName"].stringValue, !volumeName.isEmpty,
            pvc["status"]["phase"].stringValue == "Bound",
            let pv = try await api.get("/api/v1/persistentvolumes/\(volumeName)")
        else {
            throw PodConfigError("pod has unbound immediate PersistentVolumeClaims")
        }
        if let path = pv["spec"]["hostPath"]["path"].stringValue ?? pv["spec"]["local"]["path"].stringValue {
            try await HostPathVolume.prepare(path: path, type: "DirectoryOrCreate")
            return path
        }
        throw PodConfigError("persistentvolume \"\(volumeName)\" is neither hostPath nor local; this node cannot mount it")
    }

    package func tearDown(uid: String) async throws {
        try await volumes.tearDown(podUID: uid)
    }
}

/// A volume that could not be set up: the container waits in ContainerCreating
/// and a FailedMount event says why.
package struct VolumeSetUpError: Error, CustomStringConvertible, Sendable {
    package var volume: String
    package var message: String
    package var description: String { "MountVolume.SetUp failed for volume \"\(volume)\" : \(message)" }
}
