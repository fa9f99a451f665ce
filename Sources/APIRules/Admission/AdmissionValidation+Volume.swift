import SkiffAPI

extension Admission {
    /// `ValidateVolumes` and the checks of the common volume sources.
    enum VolumeValidation {
        static let fileModeMessage = "must be a number between 0 and 0777 (octal), both inclusive"

        /// Volume sources in the order Kubernetes checks them, each with the path segment its
        /// "more than 1 volume type" error names (two of which Kubernetes misspells).
        static let sourceOrder: [(key: String, forbiddenName: String)] = [
            ("emptyDir", "emptyDir"), ("hostPath", "hostPath"), ("gitRepo", "gitRepo"),
            ("gcePersistentDisk", "gcePersistentDisk"), ("awsElasticBlockStore", "awsElasticBlockStore"),
            ("secret", "secret"), ("nfs", "nfs"), ("iscsi", "iscsi"), ("glusterfs", "glusterfs"),
            ("flocker", "flocker"), ("persistentVolumeClaim", "persistentVolumeClaim"), ("rbd", "rbd"),
            ("cinder", "cinder"), ("cephfs", "cephFS"), ("quobyte", "quobyte"), ("downwardAPI", "downwarAPI"),
            ("fc", "fc"), ("flexVolume", "flexVolume"), ("configMap", "configMap"), ("azureFile", "azureFile"),
            ("vsphereVolume", "vsphereVolume"), ("photonPersistentDisk", "photonPersistentDisk"),
            ("portworxVolume", "portworxVolume"), ("azureDisk", "azureDisk"), ("storageos", "storageos"),
            ("projected", "projected"), ("scaleIO", "scaleIO"), ("csi", "csi"), ("ephemeral", "ephemeral"),
            ("image", "image"),
        ]

        static let hostPathTypes = [
            "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket",
        ]

        /// Errors, and the valid volumes by name (what volume mounts may refer to). A volume with
        /// any error is left out, so mounts of it report `Not found` as in Kubernetes.
        static func volumes(_ volumes: [JSONValue], at path: FieldPath) -> (valid: [String: JSONValue], errors: [FieldError]) {
            var valid: [String: JSONValue] = [:]
            var names: Set<String> = []
            var errors: [FieldError] = []
            for (index, volume) in volumes.enumerated() {
                let volumePath = path.index(index)
                let name = volume.stringField("name")
                var volumeErrors = source(volume, at: volumePath)
                if name.isEmpty {
                    volumeErrors.append(volumePath.child("name").required())
                } else {
                    volumeErrors += volumePath.child("name").invalid(name, messages: NameValidation.dns1123Label(name))
                }
                if names.contains(name) {
                    volumeErrors.append(volumePath.child("name").duplicate(.string(name)))
                }
                if volumeErrors.isEmpty {
                    names.insert(name)
                    valid[name] = volume
                } else {
                    errors += volumeErrors
                }
            }
            return (valid, errors)
        }

        /// Exactly one source, and that source well formed.
        static func source(_ volume: JSONValue, at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            var count = 0
            for (key, forbiddenName) in sourceOrder where !volume[key].isNull {
                if count > 0 {
                    errors.append(path.child(forbiddenName).forbidden("may not specify more than 1 volume type"))
                    continue
                }
                count += 1
                errors += sourceDetails(key, volume[key], at: path.child(key))
            }
            if count == 0 { errors.append(path.required("must specify a volume type")) }
            return errors
        }

        static func sourceDetails(_ key: String, _ source: JSONValue, at path: FieldPath) -> [FieldError] {
            switch key {
            case "emptyDir":
                if let limit = try? Quantity(json: source["sizeLimit"]), limit < Quantity(0) {
                    return [path.child("sizeLimit").forbidden("SizeLimit field must be a valid resource quantity")]
                }
                return []
            case "hostPath": return hostPath(source, at: path)
            case "gitRepo":
                var errors: [FieldError] = []
                if source.isZeroField("repository") { errors.append(path.child("repository").required()) }
                return errors + PathRules.localDescending(source.stringField("directory"), at: path.child("directory"))
            case "secret":
                var errors: [FieldError] = []
                if source.isZeroField("secretName") { errors.append(path.child("secretName").required()) }
                return errors + fileMode(source["defaultMode"], at: path.child("defaultMode"))
                    + keyToPaths(source.listField("items"), at: path.child("items"))
            case "configMap":
                var errors: [FieldError] = []
                if source.isZeroField("name") { errors.append(path.child("name").required()) }
                return errors + fileMode(source["defaultMode"], at: path.child("defaultMode"))
                    + keyToPaths(source.listField("items"), at: path.child("items"))
            case "persistentVolumeClaim":
                return source.isZeroField("claimName") ? [path.child("claimName").required()] : []
            case "nfs":
                var errors: [FieldError] = []
                if source.isZeroField("server") { errors.append(path.child("server").required()) }
                let nfsPath = source.stringField("path")
                if nfsPath.isEmpty { errors.append(path.child("path").required()) }
                if !nfsPath.hasPrefix("/") {
                    errors.append(path.child("path").invalid(.string(nfsPath), "must be an absolute path"))
                }
                return errors
            case "downwardAPI":
                return fileMode(source["defaultMode"], at: path.child("defaultMode"))
                    + source.listField("items").flatMap { downwardAPIFile($0, at: path) }
            case "projected": return projected(source, at: path)
            case "csi": return csiDriverName(source.stringField("driver"), at: path.child("driver"))
            case "ephemeral":
                return source["volumeClaimTemplate"].isNull ? [path.child("volumeClaimTemplate").required()] : []
            default: return []
            }
        }

        static func hostPath(_ source: JSONValue, at path: FieldPath) -> [FieldError] {
            let hostPath = source.stringField("path")
            if hostPath.isEmpty { return [path.child("path").required()] }
            var errors = PathRules.noBacksteps(hostPath, at: path.child("path"))
            if let type = source["type"].stringValue, !hostPathTypes.contains(type) {
                errors.append(path.child("type").notSupported(.string(type), hostPathTypes))
            }
            return errors
        }

        static func fileMode(_ mode: JSONValue, at path: FieldPath) -> [FieldError] {
            guard let value = mode.int64Value, value < 0 || value > 0o777 else { return [] }
            return [path.invalid(.integer(value), fileModeMessage)]
        }

        /// `validateKeyToPath` for the `items` of secret and configMap sources.
        static func keyToPaths(_ items: [JSONValue], at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            for (index, item) in items.enumerated() {
                let itemPath = path.index(index)
                if item.isZeroField("key") { errors.append(itemPath.child("key").required()) }
                if item.isZeroField("path") { errors.append(itemPath.child("path").required()) }
                errors += PathRules.localNonReserved(item.stringField("path"), at: itemPath.child("path"))
                errors += fileMode(item["mode"], at: itemPath.child("mode"))
            }
            return errors
        }

        static let volumeFieldPaths = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"]

        /// One `items` entry of a downwardAPI volume; Kubernetes reports some errors on the
        /// source's path rather than the item's.
        static func downwardAPIFile(_ file: JSONValue, at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            if file.isZeroField("path") { errors.append(path.child("path").required()) }
            errors += PathRules.localNonReserved(file.stringField("path"), at: path.child("path"))
            if file["fieldRef"].objectValue != nil {
                errors += ContainerValidation.objectFieldSelector(
                    file["fieldRef"], supported: volumeFieldPaths, at: path.child("fieldRef"))
                if !file["resourceFieldRef"].isNull {
                    errors.append(path.invalid("resource", "fieldRef and resourceFieldRef can not be specified simultaneously"))
                }
            } else if file["resourceFieldRef"].objectValue != nil {
                errors += ContainerValidation.resourceFieldSelector(
                    file["resourceFieldRef"], requireContainerName: true, at: path.child("resourceFieldRef"))
            } else {
                errors.append(path.required("one of fieldRef and resourceFieldRef is required"))
            }
            return errors + fileMode(file["mode"], at: path.child("mode"))
        }

        static func projected(_ source: JSONValue, at path: FieldPath) -> [FieldError] {
            var errors = fileMode(source["defaultMode"], at: path.child("defaultMode"))
            for (index, projection) in source.listField("sources").enumerated() {
                let sourcePath = path.child("sources").index(index)
                let kinds = ["secret", "configMap", "downwardAPI", "serviceAccountToken", "clusterTrustBundle"]
                    .filter { !projection[$0].isNull }
                if kinds.count > 1 {
                    errors.append(sourcePath.forbidden("may not specify more than 1 volume type per source"))
                }
                for kind in ["secret", "configMap"] where projection[kind].objectValue != nil {
                    if projection[kind].isZeroField("name") { errors.append(sourcePath.child(kind, "name").required()) }
                    errors += keyToPaths(projection[kind].listField("items"), at: sourcePath.child(kind, "items"))
                }
                if projection["downwardAPI"].objectValue != nil {
                    let downwardPath = sourcePath.child("downwardAPI")
                    errors += projection["downwardAPI"].listField("items").flatMap { downwardAPIFile($0, at: downwardPath) }
                }
                let token = projection["serviceAccountToken"]
                if token.objectValue != nil {
                    let tokenPath = sourcePath.child("serviceAccountToken")
                    if let seconds = token["expirationSeconds"].int64Value {
                        if seconds < 600 {
                            errors.append(tokenPath.child("expirationSeconds").invalid(
                                .integer(seconds), "may not specify a duration less than 10 minutes"))
                        } else if seconds > 1 << 32 {
                            errors.append(tokenPath.child("expirationSeconds").invalid(
                                .integer(seconds), "may not specify a duration larger than 2^32 seconds"))
                        }
                    }
                    if token.isZeroField("path") { errors.append(tokenPath.child("path").required()) }
                }
            }
            return errors
        }

        /// `ValidateCSIDriverName`: required, at most 63 characters, a DNS subdomain ignoring case.
        static func csiDriverName(_ driver: String, at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            if driver.isEmpty { errors.append(path.required()) }
            if driver.utf8.count > 63 { errors.append(path.tooLong(63)) }
            errors += path.invalid(driver, messages: NameValidation.dns1123Subdomain(driver.lowercased()))
            return errors
        }
    }

    /// The relative-path rules Kubernetes applies to file names inside volumes.
    enum PathRules {
        /// `validateLocalDescendingPath`: relative, and no `..` element.
        static func localDescending(_ target: String, at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            if target.hasPrefix("/") { errors.append(path.invalid(.string(target), "must be a relative path")) }
            return errors + noBacksteps(target, at: path)
        }

        /// `validatePathNoBacksteps`: no `..` element.
        static func noBacksteps(_ target: String, at path: FieldPath) -> [FieldError] {
            let elements = target.split(separator: "/", omittingEmptySubsequences: false)
            guard elements.contains("..") else { return [] }
            return [path.invalid(.string(target), "must not contain '..'")]
        }

        /// `ValidateLocalNonReservedPath`: a local descending path that does not start with `..`.
        static func localNonReserved(_ target: String, at path: FieldPath) -> [FieldError] {
            var errors = localDescending(target, at: path)
            if target.hasPrefix(".."), !target.hasPrefix("../") {
                errors.append(path.invalid(.string(target), "must not start with '..'"))
            }
            return errors
        }
    }
}
