import SkiffAPI

extension Admission {
    /// PersistentVolumes and PersistentVolumeClaims.
    enum StorageValidation {
        static let accessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
        static let volumeModes = ["Block", "Filesystem"]
        static let reclaimPolicies = ["Delete", "Recycle", "Retain"]
        static let specPath = FieldPath.root.child("spec")
        /// The sources a PersistentVolume may be backed by; exactly one is required.
        static let persistentVolumeSources = [
            "gcePersistentDisk", "awsElasticBlockStore", "hostPath", "glusterfs", "nfs", "rbd", "quobyte", "iscsi",
            "cephfs", "cinder", "fc", "flocker", "flexVolume", "azureFile", "vsphereVolume", "azureDisk",
            "photonPersistentDisk", "portworxVolume", "scaleIO", "local", "storageos", "csi",
        ]

        static func persistentVolumeClaim(_ object: JSONValue) -> [FieldError] {
            MetaValidation.objectMeta(object, namespaced: true, name: .subdomain)
                + claimSpec(object["spec"], at: specPath)
        }

        static func claimSpec(_ spec: JSONValue, at path: FieldPath) -> [FieldError] {
            var errors = modes(spec, required: "at least 1 access mode is required", at: path)
            let storagePath = path.child("resources").key("storage")
            let storage = spec["resources"]["requests"]["storage"]
            if storage.isNull {
                errors.append(storagePath.required())
            } else if let quantity = try? Quantity(json: storage) {
                if quantity <= Quantity(0) { errors.append(storagePath.invalid(.string(quantity.description), "must be greater than zero")) }
            } else {
                errors.append(storagePath.invalid(storage, "must be a valid quantity"))
            }
            return errors
        }

        /// Access modes (required, known values) and the volume mode.
        static func modes(_ spec: JSONValue, required: String, at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            let modes = spec.listField("accessModes")
            if modes.isEmpty { errors.append(path.child("accessModes").required(required)) }
            for mode in modes {
                let name = mode.stringValue ?? ""
                if !accessModes.contains(name) {
                    errors.append(path.child("accessModes").notSupported(.string(name), accessModes))
                }
            }
            if let volumeMode = spec["volumeMode"].stringValue, !volumeModes.contains(volumeMode) {
                errors.append(path.child("volumeMode").notSupported(.string(volumeMode), volumeModes))
            }
            return errors
        }

        /// A bound claim may only grow its storage request; everything else in the spec is fixed.
        static func persistentVolumeClaimUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
            var new = object["spec"]
            let previous = old["spec"]
            if old["status"].stringField("phase") == "Bound" || object["status"].stringField("phase") == "Bound" {
                new[path: ["resources", "requests", "storage"]] = previous["resources"]["requests"]["storage"]
            }
            new["volumeAttributesClassName"] = previous["volumeAttributesClassName"]
            // Binding sets volumeName once; a claim without a class may be given one
            // (RetroactiveDefaultStorageClass), as kube-apiserver allows.
            if previous.stringField("volumeName").isEmpty { new["volumeName"] = previous["volumeName"] }
            if previous["storageClassName"].isNull { new["storageClassName"] = previous["storageClassName"] }
            guard !MetaValidation.semanticallyEqual(new, previous) else { return [] }
            return [specPath.forbidden(
                "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims")]
        }

        static func persistentVolume(_ object: JSONValue) -> [FieldError] {
            let spec = object["spec"]
            var errors = MetaValidation.objectMeta(object, namespaced: false, name: .subdomain)
            errors += modes(spec, required: "", at: specPath)
            let capacity = spec["capacity"].objectValue ?? [:]
            if capacity.isEmpty {
                errors.append(specPath.child("capacity").required())
            } else if capacity["storage"] == nil || capacity.count > 1 {
                errors.append(specPath.child("capacity").notSupported(spec["capacity"], ["storage"]))
            }
            let sources = persistentVolumeSources.filter { !spec.isMissingField($0) }
            if sources.isEmpty { errors.append(specPath.required("must specify a volume type")) }
            for source in sources.dropFirst() {
                errors.append(specPath.child(source).forbidden("may not specify more than 1 volume type"))
            }
            if let hostPath = spec["hostPath"].objectValue.map(JSONValue.object) {
                errors += VolumeValidation.hostPath(hostPath, at: specPath.child("hostPath"))
            }
            if spec["local"].objectValue != nil, spec["local"].isZeroField("path") {
                errors.append(specPath.child("local", "path").required())
            }
            if let policy = spec["persistentVolumeReclaimPolicy"].stringValue, !reclaimPolicies.contains(policy) {
                errors.append(specPath.child("persistentVolumeReclaimPolicy").notSupported(.string(policy), reclaimPolicies))
            }
            return errors
        }
    }
}
