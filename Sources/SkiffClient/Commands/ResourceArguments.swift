import SkiffAPI

/// The objects a command's arguments name, as kubectl reads them: `TYPE[,TYPE…] [NAME…]`
/// or `TYPE/NAME …` (the two forms cannot be mixed), with `all` standing for the `all`
/// category (pods, services, deployments, …).
public struct ResourceArguments: Sendable, Equatable {
    /// One kind and the names asked for; no names means every object of the kind.
    public struct Selection: Sendable, Equatable {
        public var kind: ResourceKind
        public var names: [String]
    }

    public var selections: [Selection]

    /// Whether more than one kind is involved, in which case kubectl prefixes names with the
    /// kind (`deployment.apps/notepad`).
    public var spansSeveralKinds: Bool {
        Set(selections.map(\.kind.groupVersionKind)).count > 1
    }

    public init(_ arguments: [String], registry: ResourceRegistry, verb: String = "get") throws(CtlError) {
        guard let first = arguments.first else {
            throw .message(
                "you must specify the type of resource to \(verb). Use \"kubectl api-resources\" for a complete list of supported resources.")
        }
        if arguments.contains(where: { $0.contains("/") }) {
            var selections: [Selection] = []
            for argument in arguments {
                let parts = argument.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    if !argument.contains("/") {
                        throw .message(
                            "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl \(verb) resource/<resource_name>' instead of 'kubectl \(verb) resource resource/<resource_name>'")
                    }
                    throw .message("arguments in resource/name form must have a single resource and name")
                }
                let kind = try Self.kind(parts[0], registry: registry)
                if let last = selections.last, last.kind == kind {
                    selections[selections.count - 1].names.append(parts[1])
                } else {
                    selections.append(Selection(kind: kind, names: [parts[1]]))
                }
            }
            self.selections = selections
            return
        }
        let names = Array(arguments.dropFirst())
        var kinds: [ResourceKind] = []
        for type in first.split(separator: ",").map(String.init) {
            if type.lowercased() == "all" {
                kinds += Self.allCategory(registry)
            } else {
                kinds.append(try Self.kind(type, registry: registry))
            }
        }
        var seen: Set<GroupVersionKind> = []
        selections = kinds.filter { seen.insert($0.groupVersionKind).inserted }.map { Selection(kind: $0, names: names) }
    }

    /// The objects a manifest names (`get -f`, `describe -f`), grouped by kind in file order.
    public init(documents: [ManifestDocument], registry: ResourceRegistry) throws(CtlError) {
        var selections: [Selection] = []
        for document in documents {
            let apiVersion = document.object["apiVersion"].stringValue ?? ""
            let kindName = document.object["kind"].stringValue ?? ""
            guard let kind = registry.resource(apiVersion: apiVersion, kind: kindName) else {
                throw .message(
                    "resource mapping not found for name: \(GoQuote.quote(document.object["metadata"]["name"].stringValue ?? "")) "
                        + "namespace: \"\" from \(GoQuote.quote(document.source)): no matches for kind \(GoQuote.quote(kindName)) "
                        + "in version \(GoQuote.quote(apiVersion))\nensure CRDs are installed first")
            }
            let name = document.object["metadata"]["name"].stringValue ?? ""
            if let index = selections.firstIndex(where: { $0.kind == kind }) {
                selections[index].names.append(name)
            } else {
                selections.append(Selection(kind: kind, names: [name]))
            }
        }
        self.selections = selections
    }

    static func kind(_ name: String, registry: ResourceRegistry) throws(CtlError) -> ResourceKind {
        guard let kind = registry.resource(named: name) else {
            throw .message("the server doesn't have a resource type \"\(name)\"")
        }
        return kind
    }

    /// The `all` category in discovery order: core first, then each group's resources by name.
    static func allCategory(_ registry: ResourceRegistry) -> [ResourceKind] {
        let members = registry.resources.filter { $0.categories.contains("all") }
        var groups: [String] = []
        for member in members where !groups.contains(member.group) { groups.append(member.group) }
        return groups.flatMap { group in
            members.filter { $0.group == group }.sorted { $0.plural < $1.plural }
        }
    }
}
