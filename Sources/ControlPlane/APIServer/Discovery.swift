import Foundation
import SkiffAPI

/// The discovery documents kubectl reads before anything else: aggregated
/// (`apidiscovery.k8s.io/v2` and `v2beta1`, chosen by Accept, with the exact
/// content type kubectl checks) and the legacy `APIVersions`/`APIGroupList`/
/// `APIResourceList` documents for clients that do not ask for aggregation.
struct Discovery: Sendable {
    let registry: ResourceRegistry
    let serverAddress: String

    static func aggregatedVersion(accept: String) -> String? {
        for part in accept.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.contains("g=apidiscovery.k8s.io"), fields.contains("as=APIGroupDiscoveryList") else { continue }
            if fields.contains("v=v2") { return "v2" }
            if fields.contains("v=v2beta1") { return "v2beta1" }
        }
        return nil
    }

    func reply(group: String?, version: String?, legacyCore: Bool, accept: String) -> APIReply {
        if version == nil, let aggregated = Self.aggregatedVersion(accept: accept) {
            let body = aggregatedList(core: legacyCore, version: aggregated)
            return .json(
                status: 200, body: body,
                contentType: "application/json;g=apidiscovery.k8s.io;v=\(aggregated);as=APIGroupDiscoveryList")
        }
        switch (group, version) {
        case (nil, nil) where legacyCore:
            return .ok([
                "kind": "APIVersions", "versions": ["v1"],
                "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
            ])
        case (nil, nil):
            return .ok(["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groupNames.map(apiGroup))])
        case (let group?, nil):
            guard groupNames.contains(group) else { return notFound }
            return .ok(apiGroup(group))
        case (let group?, let version?):
            let resources = registry.resources.filter { $0.group == group && $0.version == version }
            guard !resources.isEmpty else { return notFound }
            return .ok(resourceList(group: group, version: version, resources: resources))
        default:
            return notFound
        }
    }

    private var notFound: APIReply {
        .failure(APIStatus(code: 404, reason: .notFound, message: "the server could not find the requested resource"))
    }

    /// Named groups in registry order (`apps`, `batch`, ...); the core group is served at `/api`.
    private var groupNames: [String] {
        var seen: Set<String> = []
        return registry.resources.map(\.group).filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    private func versions(of group: String) -> [String] {
        var seen: Set<String> = []
        return registry.resources.filter { $0.group == group }.map(\.version).filter { seen.insert($0).inserted }
    }

    private func apiGroup(_ group: String) -> JSONValue {
        let versions = versions(of: group).map { version -> JSONValue in
            ["groupVersion": .string("\(group)/\(version)"), "version": .string(version)]
        }
        return [
            "kind": "APIGroup", "apiVersion": "v1", "name": .string(group), "versions": .array(versions),
            "preferredVersion": versions.first ?? .null,
        ]
    }

    private func resourceList(group: String, version: String, resources: [ResourceKind]) -> JSONValue {
        var entries: [JSONValue] = []
        for resource in resources {
            var entry: JSONValue = [
                "name": .string(resource.plural), "singularName": .string(resource.singular),
                "namespaced": .bool(resource.namespaced), "kind": .string(resource.kind),
                "verbs": .array(resource.verbs.map(JSONValue.string)),
            ]
            if !resource.shortNames.isEmpty { entry["shortNames"] = .array(resource.shortNames.map(JSONValue.string)) }
            if !resource.categories.isEmpty { entry["categories"] = .array(resource.categories.map(JSONValue.string)) }
            entries.append(entry)
            for sub in resource.subresources {
                var subEntry: JSONValue = [
                    "name": .string("\(resource.plural)/\(sub.name)"), "singularName": "",
                    "namespaced": .bool(resource.namespaced), "kind": .string(sub.groupVersionKind.kind),
                    "verbs": .array(sub.verbs.map(JSONValue.string)),
                ]
                if sub.groupVersionKind.group != resource.group || sub.groupVersionKind.version != resource.version {
                    subEntry["group"] = .string(sub.groupVersionKind.group)
                    subEntry["version"] = .string(sub.groupVersionKind.version)
                }
                entries.append(subEntry)
            }
        }
        let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion), "resources": .array(entries)]
    }

    private func aggregatedList(core: Bool, version: String) -> JSONValue {
        let groups = core ? [""] : groupNames
        let items = groups.map { group -> JSONValue in
            let versionEntries = versions(of: group).map { groupVersion -> JSONValue in
                let resources = registry.resources.filter { $0.group == group && $0.version == groupVersion }
                return [
                    "version": .string(groupVersion), "freshness": "Current",
                    "resources": .array(resources.map(aggregatedResource)),
                ]
            }
            return ["metadata": ["name": .string(group)], "versions": .array(versionEntries)]
        }
        return [
            "kind": "APIGroupDiscoveryList", "apiVersion": .string("apidiscovery.k8s.io/\(version)"),
            "metadata": .emptyObject, "items": .array(items),
        ]
    }

    private func aggregatedResource(_ resource: ResourceKind) -> JSONValue {
        var entry: JSONValue = [
            "resource": .string(resource.plural),
            "responseKind": kind(resource.groupVersionKind),
            "scope": resource.namespaced ? "Namespaced" : "Cluster",
            "singularResource": .string(resource.singular),
            "verbs": .array(resource.verbs.map(JSONValue.string)),
        ]
        if !resource.shortNames.isEmpty { entry["shortNames"] = .array(resource.shortNames.map(JSONValue.string)) }
        if !resource.categories.isEmpty { entry["categories"] = .array(resource.categories.map(JSONValue.string)) }
        if !resource.subresources.isEmpty {
            entry["subresources"] = .array(resource.subresources.map { sub in
                ["subresource": .string(sub.name), "responseKind": kind(sub.groupVersionKind),
                 "verbs": .array(sub.verbs.map(JSONValue.string))]
            })
        }
        return entry
    }

    private func kind(_ gvk: GroupVersionKind) -> JSONValue {
        ["group": .string(gvk.group), "version": .string(gvk.version), "kind": .string(gvk.kind)]
    }
}
