import Foundation
import SkiffAPI

/// `kubectl get persistentvolumes`: NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM
/// STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE, wide VOLUMEMODE.
enum PersistentVolumeTable: TablePrinter {
    static let columns: [TableColumn] = [
        .name,
        TableColumn(
            "Capacity",
            description:
                "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"
        ),
        TableColumn(
            "Access Modes",
            description:
                "accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes"
        ),
        TableColumn(
            "Reclaim Policy",
            description:
                "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming"
        ),
        TableColumn(
            "Status",
            description:
                "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase"
        ),
        TableColumn(
            "Claim",
            description:
                "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding"
        ),
        TableColumn("StorageClass", description: "StorageClass of the pv"),
        TableColumn("VolumeAttributesClass", description: "VolumeAttributesClass of the pv"),
        TableColumn(
            "Reason",
            description:
                "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."
        ),
        .age,
        TableColumn(
            "VolumeMode", priority: 1,
            description:
                "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec."
        ),
    ]

    static func cells(_ volume: JSONValue, now: Date) -> [JSONValue] {
        let spec = volume["spec"]
        let claimRef = spec["claimRef"]
        let claim = claimRef.tableIsSet ? "\(claimRef["namespace"].tableString)/\(claimRef["name"].tableString)" : ""
        let phase =
            volume["metadata"]["deletionTimestamp"].tableIsSet ? "Terminating" : volume["status"]["phase"].tableString
        return [
            .string(volume["metadata"]["name"].tableString),
            .string(TableFormat.quantity(spec["capacity"]["storage"])),
            .string(TableFormat.accessModes(spec["accessModes"])),
            .string(spec["persistentVolumeReclaimPolicy"].tableString),
            .string(phase),
            .string(claim),
            .string(storageClass(volume)),
            .string(spec["volumeAttributesClassName"].stringValue ?? "<unset>"),
            .string(volume["status"]["reason"].tableString),
            .string(TableTime.since(volume["metadata"]["creationTimestamp"], now: now)),
            .string(spec["volumeMode"].stringValue ?? "<unset>"),
        ]
    }

    /// `GetPersistentVolumeClass`: the beta annotation wins over `spec.storageClassName`.
    static func storageClass(_ object: JSONValue) -> String {
        if let annotated = object["metadata"]["annotations"]["volume.beta.kubernetes.io/storage-class"].stringValue {
            return annotated
        }
        return object["spec"]["storageClassName"].tableString
    }
}
