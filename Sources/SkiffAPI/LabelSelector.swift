/// A label selector in either of its forms: the query string of `?labelSelector=`
/// and `kubectl get -l`, or the `matchLabels`/`matchExpressions` object of a
/// Deployment or ReplicaSet. All requirements must match (logical AND).
public struct LabelSelector: Hashable, Sendable, CustomStringConvertible {
    /// Sorted by key, as Kubernetes sorts them, so equal selectors print the same.
    public var requirements: [LabelRequirement]

    /// Matches every object (the empty string, or `{}`).
    public static let everything = LabelSelector(requirements: [])

    public init(requirements: [LabelRequirement]) {
        self.requirements = requirements.sorted { $0.key < $1.key }
    }

    /// Equality on every label of the map, as `matchLabels` and `spec.selector` of a Service mean.
    public init(matchLabels: [String: String]) {
        self.init(requirements: matchLabels.map { LabelRequirement(key: $0.key, op: .equals, values: [$0.value]) })
    }

    public var isEverything: Bool { requirements.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    /// The canonical query-string form (`app=x,tier in (a,b)`).
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }
}

/// A label or field selector string that does not parse, naming the selector and the problem.
public struct SelectorError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The selector text as given.
    public var selector: String
    /// What is wrong (`found 'b', expected: ',' or 'end of string'`).
    public var detail: String

    public init(selector: String, detail: String) {
        self.selector = selector
        self.detail = detail
    }

    public var description: String { "unable to parse requirement: \(detail) (selector \(GoValueFormat.quoted(selector)))" }
}
