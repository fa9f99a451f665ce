/// The resources the API server serves, found the way kubectl names them:
/// `deploy`, `deployments`, `deployment`, `Deployment`, `deployments.apps`, `deploy.apps`,
/// `deployments.v1.apps`, or by `apiVersion` and `kind` from a manifest.
public struct ResourceRegistry: Sendable {
    public let resources: [ResourceKind]

    /// Resources keyed by every lowercased name they answer to, unqualified.
    private let byName: [String: [Int]]
    private let byGroupVersionKind: [GroupVersionKind: Int]

    /// Builds a registry; earlier entries win when two resources share a name
    /// (as core `events` wins over `events.events.k8s.io` in kubectl).
    public init(_ resources: [ResourceKind]) {
        self.resources = resources
        var byName: [String: [Int]] = [:]
        var byGroupVersionKind: [GroupVersionKind: Int] = [:]
        for (index, resource) in resources.enumerated() {
            let names = [resource.plural, resource.singular, resource.kind] + resource.shortNames
            for name in Set(names.map { $0.lowercased() }) where !name.isEmpty {
                byName[name, default: []].append(index)
            }
            if byGroupVersionKind[resource.groupVersionKind] == nil {
                byGroupVersionKind[resource.groupVersionKind] = index
            }
        }
        self.byName = byName
        self.byGroupVersionKind = byGroupVersionKind
    }

    /// The resource a command-line name means, case-insensitively; nil when unknown.
    ///
    /// A name containing dots is split as kubectl does: `resource.group` first,
    /// then `resource.version.group`; an unqualified name prefers the core group.
    public func resource(named name: String) -> ResourceKind? {
        let lowered = name.lowercased()
        if let candidates = byName[lowered] {
            return resources[candidates[0]]
        }
        let parts = lowered.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let candidates = byName[parts[0]] else { return nil }
        let qualifier = parts[1]
        if let match = candidates.first(where: { resources[$0].group == qualifier }) {
            return resources[match]
        }
        let versionAndGroup = qualifier.split(separator: ".", maxSplits: 1).map(String.init)
        if versionAndGroup.count == 2,
            let match = candidates.first(where: {
                resources[$0].version == versionAndGroup[0] && resources[$0].group == versionAndGroup[1]
            })
        {
            return resources[match]
        }
        return nil
    }

    /// The resource serving `kind` in `apiVersion` (`apps/v1`, `Deployment`); kind is exact.
    public func resource(apiVersion: String, kind: String) -> ResourceKind? {
        guard let gvk = GroupVersionKind(apiVersion: apiVersion, kind: kind) else { return nil }
        return resource(for: gvk)
    }

    public func resource(for groupVersionKind: GroupVersionKind) -> ResourceKind? {
        byGroupVersionKind[groupVersionKind].map { resources[$0] }
    }

    /// The resource at URL segments `group`, `version`, `plural` (`""`, `v1`, `pods`).
    public func resource(group: String, version: String, plural: String) -> ResourceKind? {
        resources.first { $0.group == group && $0.version == version && $0.plural == plural }
    }

    /// Group versions in serving order, core first (for `/api` and `/apis`).
    public var groupVersions: [(group: String, version: String)] {
        var seen: Set<String> = []
        var result: [(group: String, version: String)] = []
        for resource in resources where seen.insert(resource.apiVersion).inserted {
            result.append((resource.group, resource.version))
        }
        return result
    }
}
