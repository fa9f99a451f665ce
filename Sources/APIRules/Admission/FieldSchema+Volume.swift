extension Admission.FieldSchema {
    static let keyToPath = fields(["key", "path", "mode"])

    static let downwardAPIFile = fields(
        ["path", "mode"], ["fieldRef": objectFieldSelector, "resourceFieldRef": resourceFieldSelector])

    static let volumeProjection = fields(
        // The cluster trust bundle projection is alpha; left open.
        ["clusterTrustBundle"],
        [
            "secret": fields(["name", "optional"], ["items": .list(keyToPath)]),
            "configMap": fields(["name", "optional"], ["items": .list(keyToPath)]),
            "downwardAPI": fields([], ["items": .list(downwardAPIFile)]),
            "serviceAccountToken": fields(["audience", "expirationSeconds", "path"]),
        ])

    /// A pod volume: its name and one source. The common sources are checked member by member;
    /// cloud and legacy storage plugins are left open.
    static let volume = fields(
        [
            "name", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "iscsi", "glusterfs", "rbd", "flexVolume",
            "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk",
            "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos",
        ],
        [
            "hostPath": fields(["path", "type"]),
            "emptyDir": fields(["medium", "sizeLimit"]),
            "secret": fields(["secretName", "defaultMode", "optional"], ["items": .list(keyToPath)]),
            "nfs": fields(["server", "path", "readOnly"]),
            "persistentVolumeClaim": fields(["claimName", "readOnly"]),
            "downwardAPI": fields(["defaultMode"], ["items": .list(downwardAPIFile)]),
            "configMap": fields(["name", "defaultMode", "optional"], ["items": .list(keyToPath)]),
            "projected": fields(["defaultMode"], ["sources": .list(volumeProjection)]),
            "csi": fields(["driver", "readOnly", "fsType", "volumeAttributes"], ["nodePublishSecretRef": localObjectReference]),
            "ephemeral": fields([], ["volumeClaimTemplate": fields(["spec"], ["metadata": objectMeta])]),
            "image": fields(["reference", "pullPolicy"]),
        ])
}
