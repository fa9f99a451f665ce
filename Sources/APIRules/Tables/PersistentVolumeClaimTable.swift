import Foundation
import SkiffAPI

/// `kubectl get persistentvolumeclaims`: NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS
/// VOLUMEATTRIBUTESCLASS AGE, wide VOLUMEMODE.
enum PersistentVolumeClaimTable: TablePrinter {
    static let columns: [TableColumn] = [
        .name,
        TableColumn("Status", description: "phase represents the current phase of PersistentVolumeClaim."),
        TableColumn(
            "Volume", description: "volumeName is the binding reference to the PersistentVolume backing this claim."),
        TableColumn("Capacity", description: "capacity represents the actual resources of the underlying volume."),
        TableColumn(
            "Access Modes",
            description:
                "accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1"
        ),
        TableColumn("StorageClass", description: "StorageClass of the pvc"),
        TableColumn("VolumeAttributesClass", description: "VolumeAttributesClass of the pvc"),
        .age,
        TableColumn(
            "VolumeMode", priority: 1,
            description:
                "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec."
        ),
    ]

    static func cells(_ claim: JSONValue, now: Date) -> [JSONValue] {
        let spec = claim["spec"]
        let status = claim["status"]
        let phase = claim["metadata"]["deletionTimestamp"].tableIsSet ? "Terminating" : status["phase"].tableString
        // Capacity and access modes are only shown once the claim is bound to a volume.
        let volumeName = spec["volumeName"].tableString
        let bound = !volumeName.isEmpty
        return [
            .string(claim["metadata"]["name"].tableString),
            .string(phase),
            .string(volumeName),
            .string(bound ? TableFormat.quantity(status["capacity"]["storage"]) : ""),
            .string(bound ? TableFormat.accessModes(status["accessModes"]) : ""),
            .string(PersistentVolumeTable.storageClass(claim)),
            .string(spec["volumeAttributesClassName"].stringValue ?? "<unset>"),
            .string(TableTime.since(claim["metadata"]["creationTimestamp"], now: now)),
            .string(spec["volumeMode"].stringValue ?? "<unset>"),
        ]
    }
}
