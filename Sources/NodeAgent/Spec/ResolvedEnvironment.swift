/// A container's environment as the kubelet hands it to the runtime.
package struct ResolvedEnvironment: Equatable, Sendable {
    /// `NAME=VALUE`, each name once, in the order names first appeared (envFrom sources in
    /// order with their keys sorted, then `env`); a later definition replaces the value in place.
    package var variables: [String]
    /// `envFrom` keys dropped because they are not valid variable names, one entry per source,
    /// for the agent's `InvalidEnvironmentVariableNames` Warning event.
    package var skippedKeys: [SkippedEnvFromKeys]

    package init(variables: [String] = [], skippedKeys: [SkippedEnvFromKeys] = []) {
        self.variables = variables
        self.skippedKeys = skippedKeys
    }
}

/// The keys of one `envFrom` source that were not valid environment variable names.
package struct SkippedEnvFromKeys: Equatable, Sendable {
    package enum SourceKind: String, Equatable, Sendable {
        case configMap
        case secret
    }

    package var kind: SourceKind
    package var namespace: String
    package var name: String
    /// The offending names with the prefix applied, sorted.
    package var keys: [String]

    package init(kind: SourceKind, namespace: String, name: String, keys: [String]) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.keys = keys
    }

    package var eventReason: String { "InvalidEnvironmentVariableNames" }

    /// `Keys [1badkey, 2alsobad] from the EnvFrom configMap default/myconfig were skipped since
    /// they are considered invalid environment variable names.`
    package var eventMessage: String {
        "Keys [\(keys.joined(separator: ", "))] from the EnvFrom \(kind.rawValue) \(namespace)/\(name) were skipped since they are considered invalid environment variable names."
    }
}
