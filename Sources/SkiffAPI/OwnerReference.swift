/// `metadata.ownerReferences[]`: what garbage collection and `rollout history` follow.
public struct OwnerReference: Hashable, Sendable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    /// At most one owner is the controller (the Deployment of a ReplicaSet).
    public var controller: Bool?
    public var blockOwnerDeletion: Bool?

    public init(
        apiVersion: String, kind: String, name: String, uid: String,
        controller: Bool? = nil, blockOwnerDeletion: Bool? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }

    /// Reads one entry; nil when a required string member is missing.
    public init?(json: JSONValue) {
        guard let apiVersion = json["apiVersion"].stringValue, let kind = json["kind"].stringValue,
            let name = json["name"].stringValue, let uid = json["uid"].stringValue
        else { return nil }
        self.init(
            apiVersion: apiVersion, kind: kind, name: name, uid: uid,
            controller: json["controller"].boolValue, blockOwnerDeletion: json["blockOwnerDeletion"].boolValue)
    }

    public var json: JSONValue {
        var value: JSONValue = [
            "apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name), "uid": .string(uid),
        ]
        if let controller { value["controller"] = .bool(controller) }
        if let blockOwnerDeletion { value["blockOwnerDeletion"] = .bool(blockOwnerDeletion) }
        return value
    }
}
