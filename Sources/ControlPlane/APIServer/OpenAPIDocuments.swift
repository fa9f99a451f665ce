import Foundation
import SkiffAPI

/// A minimal OpenAPI v3 surface: enough for `kubectl apply` (strict
/// validation on by default) to learn that each kind accepts the
/// `fieldValidation` parameter and hand validation to the server. Request
/// bodies are deliberately not described: listing strategic-merge-patch with
/// stub schemas makes kubectl build patches from them and warn; without it,
/// kubectl uses its built-in types, which is right.
struct OpenAPIDocuments: Sendable {
    let registry: ResourceRegistry
    let version: String

    func reply(path: String) -> APIReply {
        let trimmed = path.hasPrefix("/openapi/v3/") ? String(path.dropFirst("/openapi/v3/".count)) : ""
        if path == "/openapi/v3" || path == "/openapi/v3/" { return .ok(index) }
        guard let document = document(for: trimmed) else {
            return .failure(APIStatus(code: 404, reason: .notFound, message: "the server could not find the requested resource"))
        }
        return .ok(document)
    }

    /// `api/v1`, `apis/apps/v1`, ...
    private var groupVersionPaths: [String] {
        registry.groupVersions.map { $0.group.isEmpty ? "api/\($0.version)" : "apis/\($0.group)/\($0.version)" }
    }

    private var index: JSONValue {
        var paths: [String: JSONValue] = [:]
        for path in groupVersionPaths {
            paths[path] = ["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(hash(path))")]
        }
        return ["paths": .object(paths)]
    }

    /// Stable per server version, so kubectl's cache is reused until we change.
    private func hash(_ path: String) -> String {
        var value: UInt64 = 0xcbf29ce484222325
        for byte in (version + path).utf8 {
            value = (value ^ UInt64(byte)) &* 0x100000001b3
        }
        return String(value, radix: 16, uppercase: true)
    }

    private func document(for groupVersionPath: String) -> JSONValue? {
        guard groupVersionPaths.contains(groupVersionPath) else { return nil }
        let parts = groupVersionPath.split(separator: "/").map(String.init)
        let group = parts.count == 3 ? parts[1] : ""
        let version = parts.last ?? "v1"
        var paths: [String: JSONValue] = [:]
        let parameter: JSONValue = [[
            "name": "fieldValidation", "in": "query", "schema": ["type": "string", "uniqueItems": true],
        ]]
        for resource in registry.resources where resource.group == group && resource.version == version {
            let gvk: JSONValue = [
                "group": .string(resource.group), "version": .string(resource.version), "kind": .string(resource.kind),
            ]
            let operation: JSONValue = ["x-kubernetes-group-version-kind": gvk, "parameters": parameter]
            let base = "/\(groupVersionPath)" + (resource.namespaced ? "/namespaces/{namespace}" : "")
            paths["\(base)/\(resource.plural)"] = ["post": operation]
            paths["\(base)/\(resource.plural)/{name}"] = ["put": operation, "patch": operation]
        }
        return [
            "openapi": "3.0.0",
            "info": ["title": "Kubernetes", "version": .string(version)],
            "paths": .object(paths),
            "components": ["schemas": .emptyObject],
        ]
    }
}

/// `GET /version`: kubectl's dispatcher picks the kubectl build from `minor`.
enum VersionInfo {
    static let gitVersion = "v1.32.0+skiff"

    static var json: JSONValue {
        [
            "major": "1", "minor": "32", "gitVersion": .string(gitVersion), "gitCommit": "",
            "gitTreeState": "clean", "buildDate": "2026-11-28T00:00:00Z", "goVersion": "swift6.3",
            "compiler": "swiftc", "platform": "linux/amd64",
        ]
    }
}
