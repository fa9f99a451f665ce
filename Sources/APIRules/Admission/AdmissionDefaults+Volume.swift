import SkiffAPI

extension Admission {
    /// Defaults of pod volumes (SetDefaults_Volume and of each volume source).
    enum VolumeDefaults {
        /// The members of a Volume that name its source; a volume with none of them is an `emptyDir`.
        static let sourceKeys: [String] = [
            "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs",
            "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker",
            "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk",
            "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral",
            "image",
        ]

        /// 0644, the file mode Kubernetes gives projected files by default.
        static let defaultFileMode: JSONValue = 420

        static func volume(_ volume: inout JSONValue) {
            guard volume.objectValue != nil else { return }
            if sourceKeys.allSatisfy({ volume.isMissingField($0) }) {
                volume["emptyDir"] = .emptyObject
            }
            volume.updateObject("secret") { $0.defaultIfMissing("defaultMode", defaultFileMode) }
            volume.updateObject("configMap") { $0.defaultIfMissing("defaultMode", defaultFileMode) }
            volume.updateObject("downwardAPI") { source in
                source.defaultIfMissing("defaultMode", defaultFileMode)
                source.updateEach("items", downwardAPIFile)
            }
            volume.updateObject("projected", projected)
            volume.updateObject("hostPath") { $0.defaultIfMissing("type", "") }
            volume.updateObject("ephemeral") { source in
                source.updateObject("volumeClaimTemplate") { template in
                    template.updateObject("spec", CoreDefaults.persistentVolumeClaimSpec)
                }
            }
        }

        static func projected(_ source: inout JSONValue) {
            source.defaultIfMissing("defaultMode", defaultFileMode)
            source.updateEach("sources") { projection in
                projection.updateObject("serviceAccountToken") { $0.defaultIfMissing("expirationSeconds", 3600) }
                projection.updateObject("downwardAPI") { $0.updateEach("items", downwardAPIFile) }
            }
        }

        static func downwardAPIFile(_ file: inout JSONValue) {
            file.updateObject("fieldRef", PodDefaults.objectFieldSelector)
        }
    }
}
