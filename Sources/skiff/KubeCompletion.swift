import ArgumentParser
import SkiffAPI

/// Shell completion for resource arguments: the type names kubectl accepts (`deployments`,
/// `deploy`, `svc`, …) for the word being completed, so `skiff get de<TAB>` offers them.
enum KubeCompletion {
    static let resourceTypes = CompletionKind.custom { _, _, prefix in
        var names: Set<String> = ["all"]
        for resource in ResourceRegistry.builtin.resources {
            names.insert(resource.plural)
            names.insert(resource.singular)
            names.formUnion(resource.shortNames)
        }
        return names.filter { $0.hasPrefix(prefix) }.sorted()
    }
}
