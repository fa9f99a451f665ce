import APIRules
import Foundation
import SkiffAPI

extension ResourceHandler {
    func get(_ request: APIRequest, _ scope: Scope, name: String) async throws(APIStatus) -> APIReply {
        let object = try await store.require(scope.resource, namespace: scope.namespace, name: name)
        if request.wantsTable {
            return .ok(table(scope, [object], request, listMetadata: .emptyObject))
        }
        return .ok(object)
    }

    func list(_ request: APIRequest, _ scope: Scope) async throws(APIStatus) -> APIReply {
        let selectors = try Selectors(request, resource: scope.resource)
        let limit = request.parameter("limit").flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        var cursor = try ListCursor(token: request.parameter("continue"))
        var matched: [JSONValue] = []
        var revision = cursor?.revision
        var more = false
        // Page through the store until `limit` objects match, so a selective
        // label selector still returns full pages.
        while true {
            let page = try await store.list(
                scope.resource, namespace: scope.namespace, limit: limit.map { max($0, 100) },
                continueAfter: cursor?.afterKey, atRevision: revision)
            revision = page.revision
            var lastKey: String?
            for (key, object) in page.objects {
                lastKey = key
                if selectors.matches(object, scope.resource) { matched.append(object) }
                if let limit, matched.count == limit { break }
            }
            let stoppedEarly = lastKey != page.objects.last?.key
            if let limit, matched.count >= limit {
                more = page.hasMore || stoppedEarly
                cursor = lastKey.map { ListCursor(revision: page.revision, afterKey: $0) }
                break
            }
            guard page.hasMore, let lastKey else { break }
            cursor = ListCursor(revision: page.revision, afterKey: lastKey)
        }
        var metadata: JSONValue = ["resourceVersion": .string((revision ?? StorageRevision(0)).description)]
        if more, let cursor { metadata["continue"] = .string(cursor.token) }
        if request.wantsTable {
            return .ok(table(scope, matched, request, listMetadata: metadata))
        }
        return .ok([
            "kind": .string(scope.resource.kind + "List"),
            "apiVersion": .string(scope.resource.apiVersion),
            "metadata": metadata,
            "items": .array(matched),
        ])
    }

    func table(_ scope: Scope, _ objects: [JSONValue], _ request: APIRequest, listMetadata: JSONValue) -> JSONValue {
        TableConverter.table(
            resource: scope.resource, objects: objects, now: now(), includeObject: request.includeObject,
            listMetadata: listMetadata)
    }
}

/// `labelSelector` and `fieldSelector` of a list or watch, parsed once; bad
/// syntax or an unsupported field label is a 400, as from the real server.
struct Selectors: Sendable {
    let labels: LabelSelector
    let fields: FieldSelector

    init(_ request: APIRequest, resource: ResourceKind) throws(APIStatus) {
        do {
            labels = try LabelSelector(parsing: request.parameter("labelSelector") ?? "")
        } catch {
            throw APIStatus.badRequest("unable to parse requirement: \(error.detail)")
        }
        do {
            fields = try FieldSelector(parsing: request.parameter("fieldSelector") ?? "")
        } catch {
            throw APIStatus.badRequest("invalid field selector: \(error.detail)")
        }
        if let unsupported = fields.unsupportedFields(for: resource).first {
            throw APIStatus.badRequest("field label not supported: \(unsupported)")
        }
    }

    func matches(_ object: JSONValue, _ resource: ResourceKind) -> Bool {
        labels.matches(object.metadata.labels) && fields.matches(object, kind: resource)
    }
}

/// The opaque `continue` token: the snapshot revision and the last key served,
/// base64 JSON as the real server encodes it, so every page reads one snapshot.
struct ListCursor: Sendable {
    let revision: StorageRevision
    let afterKey: String

    init(revision: StorageRevision, afterKey: String) {
        self.revision = revision
        self.afterKey = afterKey
    }

    init?(token: String?) throws(APIStatus) {
        guard let token, !token.isEmpty else { return nil }
        guard let data = Data(base64Encoded: token), let json = try? JSONValue(jsonData: data),
            let revision = json["rv"].int64Value, let start = json["start"].stringValue
        else {
            throw APIStatus.badRequest("continue key is not valid: \(token)")
        }
        self.init(revision: StorageRevision(revision), afterKey: start)
    }

    var token: String {
        let json: JSONValue = ["v": "meta.k8s.io/v1", "rv": .integer(revision.value), "start": .string(afterKey)]
        return Data(json.serializedBytes()).base64EncodedString()
    }
}
