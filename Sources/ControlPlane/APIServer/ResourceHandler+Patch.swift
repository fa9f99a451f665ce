import APIRules
import Foundation
import SkiffAPI

extension ResourceHandler {
    static let patchTypes = [
        "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json",
    ]

    /// PATCH: read, apply, write back with compare-and-swap; retried when another
    /// writer got in between, unless the patch itself pins a resourceVersion.
    func patch(_ request: APIRequest, _ scope: Scope, name: String, subresource: String? = nil)
        async throws(APIStatus) -> APIReply
    {
        let resource = scope.resource
        let patchDocument = try parsePatch(request)
        for attempt in 1...8 {
            let current = try await store.require(resource, namespace: scope.namespace, name: name)
            var patched = try applyPatch(patchDocument, mediaType: request.mediaType, to: current, resource: resource)
            patched = patched.removingNullFields()
            try checkUnknownFields(patched, resource, fieldValidation: request.parameter("fieldValidation"))
            // Only a resourceVersion the patch itself names pins it (the patched
            // object always carries the one it was read at).
            let pinned = Self.pinnedVersion(in: patchDocument, mediaType: request.mediaType)
            if let pinned, !pinned.isEmpty, pinned != current.metadata.resourceVersion {
                throw APIStatus.conflict(resource.groupResource, name: name)
            }
            if patched.metadata.name != current.metadata.name {
                throw APIStatus.badRequest("metadata.name: Invalid value: the name of a patched object cannot change")
            }
            do {
                return .ok(try await commitUpdate(scope, current: current, proposed: patched, subresource: subresource))
            } catch where error.reason == .conflict && attempt < 8 && (pinned ?? "").isEmpty {
                continue
            }
        }
        throw APIStatus.conflict(resource.groupResource, name: name)
    }

    /// The `metadata.resourceVersion` a patch document sets, if any: such a
    /// patch is a compare-and-swap and is never retried on a conflict.
    static func pinnedVersion(in patch: JSONValue, mediaType: String) -> String? {
        guard mediaType == "application/json-patch+json" else { return patch["metadata"]["resourceVersion"].stringValue }
        let setting = (patch.arrayValue ?? []).last { operation in
            operation["path"].stringValue == "/metadata/resourceVersion"
                && ["add", "replace", "test"].contains(operation["op"].stringValue ?? "")
        }
        return setting?["value"].stringValue
    }

    func parsePatch(_ request: APIRequest) throws(APIStatus) -> JSONValue {
        guard Self.patchTypes.contains(request.mediaType) else {
            throw APIStatus.unsupportedMediaType(accepted: Self.patchTypes)
        }
        do {
            return try JSONValue(jsonBytes: request.body)
        } catch {
            throw APIStatus.badRequest("error decoding patch: \(error)")
        }
    }

    func applyPatch(_ patch: JSONValue, mediaType: String, to current: JSONValue, resource: ResourceKind)
        throws(APIStatus) -> JSONValue
    {
        do {
            switch mediaType {
            case "application/json-patch+json":
                return try JSONPatch.apply(patch, to: current)
            case "application/merge-patch+json":
                guard patch.objectValue != nil else { throw APIStatus.badRequest("a merge patch must be a JSON object") }
                return JSONMergePatch.apply(patch, to: current)
            default:
                guard patch.objectValue != nil else {
                    throw APIStatus.badRequest("a strategic merge patch must be a JSON object")
                }
                return try StrategicMergePatch.apply(
                    patch, to: current, schema: PatchSchema.forKind(resource.groupVersionKind))
            }
        } catch let status as APIStatus {
            throw status
        } catch let error as PatchError {
            throw APIStatus(
                code: error.httpStatus, reason: error.kind == .badRequest ? .badRequest : .invalid,
                message: error.message)
        } catch {
            throw APIStatus.internalError("\(error)")
        }
    }
}
