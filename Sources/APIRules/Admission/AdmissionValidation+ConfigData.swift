import SkiffAPI

extension Admission {
    /// Secrets and ConfigMaps: key syntax, base64 data, the 1 MiB bound, and immutability.
    enum ConfigDataValidation {
        /// Secrets and ConfigMaps are limited to 1 MiB so etcd-sized stores stay small.
        static let maxSize = 1024 * 1024
        /// Kubernetes never echoes a secret's bytes in an error.
        static let redacted: JSONValue = "<secret contents redacted>"
        static let immutableMessage = "field is immutable when `immutable` is set"

        static func secret(_ object: JSONValue) -> [FieldError] {
            var errors = MetaValidation.objectMeta(object, namespaced: true, name: .subdomain)
            let dataPath = FieldPath.root.child("data")
            let data = object["data"].objectValue ?? [:]
            var total = 0
            for key in data.keys.sorted() {
                errors += dataPath.key(key).invalid(key, messages: NameRules.configMapKey(key))
                // Kubernetes fails to decode such a body; the same message names the key here.
                switch GoBase64.decode(data[key]?.stringValue ?? "") {
                case .success(let bytes): total += bytes.count
                case .failure(let error): errors.append(dataPath.key(key).invalid(redacted, error.message))
                }
            }
            if total > maxSize { errors.append(dataPath.tooLong(maxSize)) }
            errors += typeRequirements(object, data: data, at: dataPath)
            return errors
        }

        /// The keys each well-known Secret type must carry.
        static func typeRequirements(_ object: JSONValue, data: [String: JSONValue], at dataPath: FieldPath) -> [FieldError] {
            func required(_ key: String) -> FieldError { dataPath.key(key).required() }
            switch object.stringField("type") {
            case "kubernetes.io/service-account-token":
                if object["metadata"]["annotations"].stringField("kubernetes.io/service-account.name").isEmpty {
                    return [FieldPath.root.child("metadata", "annotations").key("kubernetes.io/service-account.name").required()]
                }
            case "kubernetes.io/dockercfg":
                if data[".dockercfg"] == nil { return [required(".dockercfg")] }
            case "kubernetes.io/dockerconfigjson":
                if data[".dockerconfigjson"] == nil { return [required(".dockerconfigjson")] }
            case "kubernetes.io/basic-auth":
                if data["username"] == nil && data["password"] == nil { return [required("username"), required("password")] }
            case "kubernetes.io/ssh-auth":
                if data["ssh-privatekey"]?.stringValue?.isEmpty ?? true { return [required("ssh-privatekey")] }
            case "kubernetes.io/tls":
                return ["tls.crt", "tls.key"].filter { data[$0] == nil }.map(required)
            default:
                break
            }
            return []
        }

        static func secretUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
            var errors = MetaValidation.immutable(object["type"], old["type"], at: FieldPath.root.child("type"))
            if old["immutable"].boolValue == true {
                errors += immutableData(object, old: old, fields: ["data"])
            }
            return errors
        }

        static func configMap(_ object: JSONValue) -> [FieldError] {
            var errors = MetaValidation.objectMeta(object, namespaced: true, name: .subdomain)
            let data = object["data"].objectValue ?? [:]
            let binary = object["binaryData"].objectValue ?? [:]
            var total = 0
            for key in data.keys.sorted() {
                let keyPath = FieldPath.root.child("data").key(key)
                errors += keyPath.invalid(key, messages: NameRules.configMapKey(key))
                if binary[key] != nil { errors.append(keyPath.invalid(.string(key), "duplicate of key present in binaryData")) }
                total += data[key]?.stringValue?.utf8.count ?? 0
            }
            for key in binary.keys.sorted() {
                let keyPath = FieldPath.root.child("binaryData").key(key)
                errors += keyPath.invalid(key, messages: NameRules.configMapKey(key))
                switch GoBase64.decode(binary[key]?.stringValue ?? "") {
                case .success(let bytes): total += bytes.count
                case .failure(let error): errors.append(keyPath.invalid(binary[key] ?? .null, error.message))
                }
            }
            // Kubernetes names the whole object here, with an empty path.
            if total > maxSize { errors.append(FieldPath.root.tooLong(maxSize)) }
            return errors
        }

        static func configMapUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
            guard old["immutable"].boolValue == true else { return [] }
            return immutableData(object, old: old, fields: ["data", "binaryData"])
        }

        /// Once `immutable` is true it stays true and the data stays as it is.
        static func immutableData(_ object: JSONValue, old: JSONValue, fields: [String]) -> [FieldError] {
            var errors: [FieldError] = []
            if object["immutable"].boolValue != true {
                errors.append(FieldPath.root.child("immutable").forbidden(immutableMessage))
            }
            for field in fields where !MetaValidation.semanticallyEqual(object[field], old[field]) {
                errors.append(FieldPath.root.child(field).forbidden(immutableMessage))
            }
            return errors
        }
    }
}
