/// One API resource as discovery announces it: what `kubectl get deploy` resolves
/// through (`shortNames`), where its URLs live (`namespaced`) and what it allows.
public struct ResourceKind: Hashable, Sendable {
    /// Group, version and kind of the objects (`apps`, `v1`, `Deployment`).
    public var groupVersionKind: GroupVersionKind
    /// URL segment and discovery name (`deployments`).
    public var plural: String
    /// `deployment`; kubectl accepts it in place of the plural.
    public var singular: String
    /// Aliases such as `deploy`; kubectl only finds them through discovery.
    public var shortNames: [String]
    /// Whether URLs carry `/namespaces/{ns}`; discovery writes this as `scope`.
    public var namespaced: Bool
    /// Discovery verbs (`get`, `list`, `watch`, `create`, ...).
    public var verbs: [String]
    public var subresources: [Subresource]
    /// Discovery categories; `all` makes `kubectl get all` include the resource.
    public var categories: [String]
    /// Field selector labels this resource supports beyond `metadata.name` and
    /// `metadata.namespace`, each mapped to its JSON path in the object.
    public var selectableFields: [String: [String]]

    public init(
        groupVersionKind: GroupVersionKind, plural: String, singular: String, shortNames: [String] = [],
        namespaced: Bool, verbs: [String] = ResourceKind.standardVerbs, subresources: [Subresource] = [],
        categories: [String] = [], selectableFields: [String: [String]] = [:]
    ) {
        self.groupVersionKind = groupVersionKind
        self.plural = plural
        self.singular = singular
        self.shortNames = shortNames
        self.namespaced = namespaced
        self.verbs = verbs
        self.subresources = subresources
        self.categories = categories
        self.selectableFields = selectableFields
    }

    /// The verbs of an ordinary stored resource.
    public static let standardVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    public var group: String { groupVersionKind.group }
    public var version: String { groupVersionKind.version }
    public var kind: String { groupVersionKind.kind }
    public var apiVersion: String { groupVersionKind.apiVersion }

    /// `deployments.apps` or `pods`: how NotFound, AlreadyExists and Conflict name it.
    public var groupResource: GroupResource { GroupResource(group: group, resource: plural) }
    /// `Deployment.apps` or `Pod`: how Invalid names it.
    public var groupKind: GroupKind { GroupKind(group: group, kind: kind) }

    /// The subresource named `name` (`scale`, `status`, `log`), if any.
    public func subresource(_ name: String) -> Subresource? {
        subresources.first { $0.name == name }
    }

    /// Every field selector label this resource accepts and the JSON path it reads.
    public var fieldSelectorPaths: [String: [String]] {
        var paths = selectableFields
        paths["metadata.name"] = ["metadata", "name"]
        if namespaced { paths["metadata.namespace"] = ["metadata", "namespace"] }
        return paths
    }
}

/// A subresource such as `deployments/scale`: its own kind (`autoscaling/v1 Scale`) and verbs.
public struct Subresource: Hashable, Sendable {
    public var name: String
    /// The kind served under it; `status` serves the parent kind, `scale` serves `Scale`.
    public var groupVersionKind: GroupVersionKind
    public var verbs: [String]

    public init(name: String, groupVersionKind: GroupVersionKind, verbs: [String]) {
        self.name = name
        self.groupVersionKind = groupVersionKind
        self.verbs = verbs
    }
}
