import SkiffAPI

extension Admission {
    /// Defaults of the remaining core/v1 kinds: Secret, Namespace, Node, PersistentVolume(Claim).
    enum CoreDefaults {
        /// Type `Opaque`, and `stringData` folded into `data` as the v1→internal conversion does
        /// (a `stringData` key wins over the same `data` key); `stringData` is never stored.
        static func secret(_ object: inout JSONValue) {
            object.defaultIfZero("type", "Opaque")
            guard let stringData = object["stringData"].objectValue else {
                object["stringData"] = nil
                return
            }
            var data = object["data"].objectValue ?? [:]
            for (key, value) in stringData {
                guard let text = value.stringValue else { continue }
                data[key] = .string(GoBase64.encode(Array(text.utf8)))
            }
            object["data"] = .object(data)
            object["stringData"] = nil
        }

        /// The `kubernetes.io/metadata.name` label, phase `Active`, and the `kubernetes` finalizer
        /// that the namespace registry adds on create. The finalizer is only added while the
        /// namespace is active, so that updates during termination do not bring it back.
        static func namespace(_ object: inout JSONValue) {
            if let name = object["metadata"]["name"].stringValue, !name.isEmpty {
                object[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(name)
            }
            if object["status"].isNull { object["status"] = .emptyObject }
            object.updateObject("status") { $0.defaultIfZero("phase", "Active") }
            guard object["status"]["phase"] == "Active", object["metadata"]["deletionTimestamp"].isNull else { return }
            var finalizers = object["spec"]["finalizers"].arrayValue ?? []
            if !finalizers.contains("kubernetes") {
                finalizers.append("kubernetes")
                object[path: ["spec", "finalizers"]] = .array(finalizers)
            }
        }

        /// Allocatable defaults to capacity (SetDefaults_NodeStatus).
        static func node(_ object: inout JSONValue) {
            let capacity = object["status"]["capacity"]
            if capacity.objectValue != nil, object["status"]["allocatable"].isNull {
                object[path: ["status", "allocatable"]] = capacity
            }
        }

        static func persistentVolume(_ object: inout JSONValue) {
            if object["spec"].isNull { object["spec"] = .emptyObject }
            object.updateObject("spec") { spec in
                spec.defaultIfZero("persistentVolumeReclaimPolicy", "Retain")
                spec.defaultIfMissing("volumeMode", "Filesystem")
            }
            if object["status"].isNull { object["status"] = .emptyObject }
            object.updateObject("status") { $0.defaultIfZero("phase", "Pending") }
        }

        /// A claim, also as it appears in a StatefulSet's `volumeClaimTemplates`.
        static func persistentVolumeClaim(_ object: inout JSONValue) {
            guard object.objectValue != nil else { return }
            if object["spec"].isNull { object["spec"] = .emptyObject }
            object.updateObject("spec", persistentVolumeClaimSpec)
            if object["status"].isNull { object["status"] = .emptyObject }
            object.updateObject("status") { $0.defaultIfZero("phase", "Pending") }
        }

        static func persistentVolumeClaimSpec(_ spec: inout JSONValue) {
            spec.defaultIfMissing("volumeMode", "Filesystem")
        }
    }
}
