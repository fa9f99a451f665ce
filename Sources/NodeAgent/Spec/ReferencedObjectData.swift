import Foundation
import SkiffAPI

/// The key/value data of Secrets and ConfigMaps as the consumers (env, volume files) see it.
///
/// Secret values travel base64-encoded in `data` (the API server has already folded
/// `stringData` into it); ConfigMaps carry text in `data` and base64 bytes in `binaryData`.
enum ReferencedObjectData {
    /// A Secret's `data` decoded; a value that is not base64 (which the API server never
    /// stores) is an error naming the key rather than a silently empty file.
    static func secretData(_ secret: JSONValue, namespace: String, name: String) throws(PodConfigError) -> [String: [UInt8]] {
        guard let data = secret["data"].objectValue else { return [:] }
        var decoded: [String: [UInt8]] = [:]
        for (key, value) in data {
            guard let bytes = decodeBase64(value.stringValue ?? "") else {
                throw PodConfigError("illegal base64 data in key \(key) of Secret \(namespace)/\(name)")
            }
            decoded[key] = bytes
        }
        return decoded
    }

    /// A ConfigMap's `data` (text).
    static func configMapText(_ configMap: JSONValue) -> [String: String] {
        configMap["data"].objectValue?.compactMapValues { $0.stringValue } ?? [:]
    }

    /// A ConfigMap's `binaryData` decoded.
    static func configMapBinary(_ configMap: JSONValue, namespace: String, name: String) throws(PodConfigError) -> [String: [UInt8]] {
        guard let data = configMap["binaryData"].objectValue else { return [:] }
        var decoded: [String: [UInt8]] = [:]
        for (key, value) in data {
            guard let bytes = decodeBase64(value.stringValue ?? "") else {
                throw PodConfigError("illegal base64 data in key \(key) of ConfigMap \(namespace)/\(name)")
            }
            decoded[key] = bytes
        }
        return decoded
    }

    private static func decodeBase64(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map { [UInt8]($0) }
    }
}

/// Fetches each referenced Secret and ConfigMap at most once while one container (or one
/// volume) is resolved, as the kubelet's per-call maps do; "not found" is remembered too.
struct PodObjectCache {
    let namespace: String
    let source: any PodObjectSource
    private var secrets: [String: JSONValue?] = [:]
    private var configMaps: [String: JSONValue?] = [:]

    init(namespace: String, source: any PodObjectSource) {
        self.namespace = namespace
        self.source = source
    }

    mutating func secret(_ name: String) async throws -> JSONValue? {
        if let cached = secrets[name] { return cached }
        let fetched = try await source.secret(namespace: namespace, name: name)
        secrets[name] = .some(fetched)
        return fetched
    }

    mutating func configMap(_ name: String) async throws -> JSONValue? {
        if let cached = configMaps[name] { return cached }
        let fetched = try await source.configMap(namespace: namespace, name: name)
        configMaps[name] = .some(fetched)
        return fetched
    }
}

extension JSONValue {
    /// The namespace of a pod as the agent sees it (`default` when the object omits it).
    var podNamespace: String { self["metadata"]["namespace"].stringValue ?? "default" }

    /// `optional: true` on a reference; absent means required.
    var isOptionalReference: Bool { self["optional"].boolValue ?? false }
}
