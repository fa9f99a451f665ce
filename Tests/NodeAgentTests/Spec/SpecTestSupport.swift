import SkiffAPI
import Testing

@testable import NodeAgent

/// Parses a JSON test fixture.
func json(_ text: String) throws -> JSONValue {
    try JSONValue(jsonString: text)
}

/// Secrets and ConfigMaps held in memory, counting fetches so tests can check the
/// fetch-once rule; `failing` names objects whose fetch throws a transport error.
actor FakePodObjects: PodObjectSource {
    struct TransportError: Error, Equatable {}

    private var secrets: [String: JSONValue]
    private var configMaps: [String: JSONValue]
    private let failing: Set<String>
    private(set) var fetches: [String] = []

    init(secrets: [String: JSONValue] = [:], configMaps: [String: JSONValue] = [:], failing: Set<String> = []) {
        self.secrets = secrets
        self.configMaps = configMaps
        self.failing = failing
    }

    func secret(namespace: String, name: String) async throws -> JSONValue? {
        fetches.append("secret \(namespace)/\(name)")
        if failing.contains(name) { throw TransportError() }
        return secrets["\(namespace)/\(name)"]
    }

    func configMap(namespace: String, name: String) async throws -> JSONValue? {
        fetches.append("configmap \(namespace)/\(name)")
        if failing.contains(name) { throw TransportError() }
        return configMaps["\(namespace)/\(name)"]
    }
}

/// A Secret whose `data` holds `values` base64-encoded, as the API server stores it.
func secretObject(_ name: String, namespace: String = "default", _ values: [String: String]) -> JSONValue {
    var data: [String: JSONValue] = [:]
    for (key, value) in values { data[key] = .string(base64(Array(value.utf8))) }
    return .object([
        "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
        "metadata": .object(["name": .string(name), "namespace": .string(namespace)]),
        "data": .object(data),
    ])
}

func configMapObject(
    _ name: String, namespace: String = "default", _ values: [String: String], binary: [String: [UInt8]] = [:]
) -> JSONValue {
    var object: JSONValue = .object([
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": .object(["name": .string(name), "namespace": .string(namespace)]),
        "data": JSONValue(stringMap: values),
    ])
    if !binary.isEmpty { object["binaryData"] = .object(binary.mapValues { .string(base64($0)) }) }
    return object
}

/// Standard padded base64, to build fixtures without Foundation.
func base64(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    var output = ""
    var index = 0
    while index < bytes.count {
        let remaining = bytes.count - index
        let b0 = UInt32(bytes[index])
        let b1 = remaining > 1 ? UInt32(bytes[index + 1]) : 0
        let b2 = remaining > 2 ? UInt32(bytes[index + 2]) : 0
        let group = b0 << 16 | b1 << 8 | b2
        output.append(alphabet[Int(group >> 18 & 63)])
        output.append(alphabet[Int(group >> 12 & 63)])
        output.append(remaining > 1 ? alphabet[Int(group >> 6 & 63)] : "=")
        output.append(remaining > 2 ? alphabet[Int(group & 63)] : "=")
        index += 3
    }
    return output
}

let testAllocatable: NodeAllocatable = (cpuMillis: 4000, memoryBytes: 8 * 1024 * 1024 * 1024)
