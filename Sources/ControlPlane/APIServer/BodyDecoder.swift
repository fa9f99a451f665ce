import APIRules
import SkiffAPI

/// Turns a request body into the object it carries: JSON as most clients send,
/// or the protobuf envelope that `kubectl create secret|configmap|namespace`
/// posts (a 415 there is a hard error for kubectl; it never retries with JSON).
enum BodyDecoder {
    static let acceptedTypes = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]

    static func object(_ request: APIRequest, resource: ResourceKind) throws(APIStatus) -> JSONValue {
        var object: JSONValue
        switch request.mediaType {
        case "application/json", "":
            object = try json(request.body, resource: resource)
        case "application/vnd.kubernetes.protobuf":
            do {
                object = try KubernetesProtobuf.decode(request.body)
            } catch {
                throw APIStatus.badRequest("unable to decode protobuf body: \(error)")
            }
        default:
            throw APIStatus.unsupportedMediaType(accepted: acceptedTypes)
        }
        guard object.objectValue != nil else {
            throw APIStatus.badRequest("the body of the request must be a JSON object")
        }
        try checkTypeMeta(&object, resource: resource)
        return object.removingNullFields()
    }

    static func json(_ body: [UInt8], resource: ResourceKind) throws(APIStatus) -> JSONValue {
        do {
            return try JSONValue(jsonBytes: body)
        } catch {
            throw APIStatus.badRequest(
                "\(resource.kind) in version \"\(resource.version)\" cannot be handled as a \(resource.kind): \(error)")
        }
    }

    /// `apiVersion`/`kind` must name this resource; missing ones are filled in
    /// from the URL, as the server's decoder defaults them.
    static func checkTypeMeta(_ object: inout JSONValue, resource: ResourceKind) throws(APIStatus) {
        if let apiVersion = object["apiVersion"].stringValue, !apiVersion.isEmpty {
            guard apiVersion == resource.apiVersion else {
                throw APIStatus.badRequest(
                    "the API version in the data (\(apiVersion)) does not match the expected API version (\(resource.apiVersion))")
            }
        }
        if let kind = object["kind"].stringValue, !kind.isEmpty {
            guard kind == resource.kind else {
                throw APIStatus.badRequest(
                    "the kind in the data (\(kind)) does not match the expected kind (\(resource.kind))")
            }
        }
        object["apiVersion"] = .string(resource.apiVersion)
        object["kind"] = .string(resource.kind)
    }
}
