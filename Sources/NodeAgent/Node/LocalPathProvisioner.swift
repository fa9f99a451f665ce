import Foundation
import Logging
import NodeRuntime
import SkiffAPI

/// Binds PersistentVolumeClaims to directories on this node, as k3s's
/// local-path provisioner does: a pending claim of class `local-path` (or of
/// no class) gets a PersistentVolume `pvc-<claim uid>` whose hostPath is a
/// fresh directory under DATA/storage, and both are marked Bound. When the
/// claim goes, a volume with reclaim policy Delete goes with its directory.
package actor LocalPathProvisioner {
    package static let className = "local-path"
    private let api: AgentAPI
    private let storage: LocalPathStorage
    private let nodeName: String
    private let log: Logger
    private var task: Task<Void, Never>?

    package init(api: AgentAPI, storage: LocalPathStorage, nodeName: String, logger: Logger) {
        self.api = api
        self.storage = storage
        self.nodeName = nodeName
        self.log = logger
    }

    package func start(interval: Duration = .seconds(1)) {
        guard task == nil else { return }
        task = Task {
            while !Task.isCancelled {
                await self.reconcile()
                try? await Task.sleep(for: interval)
            }
        }
    }

    package func stop() {
        task?.cancel()
        task = nil
    }

    /// One pass: bind pending claims, release volumes whose claim is gone.
    package func reconcile() async {
        do {
            let claims = try await api.list("/api/v1/persistentvolumeclaims").items
            let volumes = try await api.list("/api/v1/persistentvolumes").items
            let claimUIDs = Set(claims.compactMap(\.metadata.uid))
            for claim in claims where claim["status"]["phase"].stringValue != "Bound" {
                let className = claim["spec"]["storageClassName"].stringValue
                guard className == nil || className == Self.className else { continue }
                try await bind(claim, existing: volumes)
            }
            for volume in volumes where volume["metadata"]["annotations"]["pv.kubernetes.io/provisioned-by"].stringValue == "skiff.io/local-path" {
                guard let uid = volume["spec"]["claimRef"]["uid"].stringValue, !claimUIDs.contains(uid) else { continue }
                guard volume["spec"]["persistentVolumeReclaimPolicy"].stringValue != "Retain" else { continue }
                let name = volume.metadata.name ?? ""
                try await storage.delete(name: name)
                try await api.delete("/api/v1/persistentvolumes/\(name)")
                log.info("deleted local-path volume", metadata: ["volume": "\(name)"])
            }
        } catch {
            log.debug("local-path provisioner pass failed", metadata: ["error": "\(error)"])
        }
    }

    private func bind(_ claim: JSONValue, existing: [JSONValue]) async throws {
        guard let uid = claim.metadata.uid, let name = claim.metadata.name, let namespace = claim.metadata.namespace else { return }
        let volumeName = "pvc-\(uid)"
        if existing.first(where: { $0.metadata.name == volumeName }) == nil {
            let path = try await storage.provision(name: volumeName)
            let capacity = claim["spec"]["resources"]["requests"]["storage"].stringValue ?? "1Gi"
            let volume: JSONValue = [
                "apiVersion": "v1", "kind": "PersistentVolume",
                "metadata": [
                    "name": .string(volumeName),
                    "annotations": ["pv.kubernetes.io/provisioned-by": "skiff.io/local-path"],
                ],
                "spec": [
                    "capacity": ["storage": .string(capacity)],
                    "accessModes": claim["spec"]["accessModes"].isNull ? ["ReadWriteOnce"] : claim["spec"]["accessModes"],
                    "persistentVolumeReclaimPolicy": "Delete", "storageClassName": .string(Self.className),
                    "hostPath": ["path": .string(path), "type": "DirectoryOrCreate"],
                    "claimRef": [
                        "apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": .string(name),
                        "namespace": .string(namespace), "uid": .string(uid),
                    ],
                    "nodeAffinity": ["required": ["nodeSelectorTerms": [["matchExpressions": [[
                        "key": "kubernetes.io/hostname", "operator": "In", "values": [.string(nodeName)],
                    ]]]]]],
                ],
            ]
            let created = try await api.create("/api/v1/persistentvolumes", volume)
            try await api.mergePatch(
                "/api/v1/persistentvolumes/\(volumeName)/status", ["status": ["phase": "Bound"]])
            _ = created
        }
        try await api.mergePatch(
            "/api/v1/namespaces/\(namespace)/persistentvolumeclaims/\(name)",
            ["spec": ["volumeName": .string(volumeName), "storageClassName": .string(Self.className)]])
        try await api.mergePatch(
            "/api/v1/namespaces/\(namespace)/persistentvolumeclaims/\(name)/status",
            ["status": [
                "phase": "Bound",
                "accessModes": claim["spec"]["accessModes"].isNull ? ["ReadWriteOnce"] : claim["spec"]["accessModes"],
                "capacity": ["storage": .string(claim["spec"]["resources"]["requests"]["storage"].stringValue ?? "1Gi")],
            ]])
        log.info("bound claim to a local-path volume", metadata: ["claim": "\(namespace)/\(name)", "volume": "\(volumeName)"])
    }
}
